import { hclString } from "../terraform/hcl.js";

/**
 * What every user-data renderer receives: Terraform expression text for each
 * value (a literal such as `"my-cluster"` or a reference such as
 * `var.cluster_name`), and a way to declare the locals it names its parts with.
 * Renderers return the user data's lines, each a Terraform string template.
 */
export interface BootstrapExpressions {
  /** EKS cluster name (string). */
  readonly clusterName: string;
  /** API server URL (string). */
  readonly clusterEndpoint: string;
  /** Base64 cluster CA (string). */
  readonly clusterCertificateAuthorityData: string;
  /** Kubernetes service CIDR (string). */
  readonly clusterServiceCidr: string;
  /** Effective max pods (number). */
  readonly maxPods: string;
  /** kubelet flags as the user gave them (string, may be empty). */
  readonly kubeletExtraArgs: string;
  /** AL2 bootstrap.sh `--use-max-pods` (bool). */
  readonly useMaxPods: string;
  /** kube-reserved quantities by resource name (map(string)), or null to keep the AMI's own. */
  readonly kubeReserved: string;
  /** The comment line that says custom networking is on, with its newline, or "" (string; see {@link customNetworkingComment}). */
  readonly customNetworkingComment: string;
  /** Install and start the launch readiness gate's script (bool); the group's launching hook waits for it. */
  readonly readinessGate: string;
  /** Shell lines that install and start the gate's script (string; see readiness-gate.ts). */
  readonly readinessGateLauncher: string;
}

/** Declares a Terraform local holding `expression` in the node group; returns the reference (`local.<name>`). */
export type DeclareLocal = (id: string, expression: string) => string;

/**
 * A comment line the user data carries while custom networking is on. Nothing on the node reads it: it is there so
 * that turning custom networking on or off changes the launch template even where max pods stays the same (a
 * t3a.medium with prefixes: 110 either way), and the instance refresh replaces nodes whose interfaces are still in
 * the old subnets (the CNI keeps the interfaces it attached). A user data line rather than another launch template
 * field: it rolls the nodes through the same path as every other user data change (the template's new version, the
 * group's refresh, the launch_template_tags trigger), and configurations without custom networking keep their user
 * data byte for byte. `#` starts a comment in the AL2 shell script, the AL2023 NodeConfig (YAML) and Bottlerocket's
 * TOML alike.
 */
export const CUSTOM_NETWORKING_MARKER =
  "# eks-pod-density: VPC CNI custom networking: pods take addresses from the ENIConfig subnet of this node's zone";

/** The marker line and its newline while custom networking (a bool expression) is on, else "": a string expression. */
export const customNetworkingComment = (customNetworking: string) => `${customNetworking} ? ${hclString(`${CUSTOM_NETWORKING_MARKER}\n`)} : ""`;

/** The cluster DNS address: the tenth host of the service CIDR, as EKS assigns it. */
export const clusterDnsIp = (e: BootstrapExpressions) => `cidrhost(${e.clusterServiceCidr}, 10)`;
