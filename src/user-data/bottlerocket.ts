/**
 * Bottlerocket: TOML settings. Strings are written with jsonencode, whose
 * escapes are valid TOML basic strings.
 */
import { templatePart as t } from "../terraform/hcl.js";
import { clusterDnsIp, type BootstrapExpressions, type DeclareLocal } from "./inputs.js";

export function renderBottlerocket(e: BootstrapExpressions, local: DeclareLocal): string[] {
  // The kube-reserved section with the blank line before it, or "" when the AMI keeps its own.
  const entries = local(
    "bottlerocket_kube_reserved_entries",
    `${e.kubeReserved} == null ? [] : [for name, quantity in ${e.kubeReserved} : "\${name} = \${jsonencode(quantity)}"]`,
  );
  const reserved = local(
    "bottlerocket_kube_reserved",
    `${e.kubeReserved} == null ? "" : "\\n[settings.kubernetes.kube-reserved]\\n\${join("\\n", ${entries})}\\n"`,
  );
  return [
    `${t(e.customNetworkingComment)}[settings.kubernetes]`,
    `api-server = \${jsonencode(${e.clusterEndpoint})}`,
    `cluster-certificate = \${jsonencode(${e.clusterCertificateAuthorityData})}`,
    `cluster-name = \${jsonencode(${e.clusterName})}`,
    `cluster-dns-ip = \${jsonencode(${clusterDnsIp(e)})}`,
    `max-pods = ${t(e.maxPods)}`,
    t(reserved),
  ];
}
