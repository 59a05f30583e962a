/**
 * What every user-data renderer receives: Terraform expression text for each
 * value (a literal such as `"my-cluster"` or a reference such as
 * `var.cluster_name`). Renderers return a Terraform string template.
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
  /** VPC CNI custom networking (bool): the user data then says so in a comment line (see {@link CUSTOM_NETWORKING_MARKER}). */
  readonly customNetworking: string;
  /** Install and start the launch readiness gate's script (bool); the group's launching hook waits for it. */
  readonly readinessGate: string;
  /** Shell lines that install and start the gate's script (string; see readiness-gate.ts). */
  readonly readinessGateLauncher: string;
}

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

/** The marker as a template part: the line and its newline while custom networking is on, nothing otherwise. */
export const customNetworkingLine = (e: BootstrapExpressions) =>
  e.customNetworking === "false" ? "" : `%{ if ${e.customNetworking} }${CUSTOM_NETWORKING_MARKER}\n%{ endif }`;

/** The cluster DNS address: the tenth host of the service CIDR, as EKS assigns it. */
export const clusterDnsIp = (e: BootstrapExpressions) => `cidrhost(${e.clusterServiceCidr}, 10)`;
