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
  /** Install and start the launch readiness gate's script (bool); the group's launching hook waits for it. */
  readonly readinessGate: string;
  /** Shell lines that install and start the gate's script (string; see readiness-gate.ts). */
  readonly readinessGateLauncher: string;
}

/** The cluster DNS address: the tenth host of the service CIDR, as EKS assigns it. */
export const clusterDnsIp = (e: BootstrapExpressions) => `cidrhost(${e.clusterServiceCidr}, 10)`;
