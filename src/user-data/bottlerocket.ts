/**
 * Bottlerocket: TOML settings. Strings are written with jsonencode, whose
 * escapes are valid TOML basic strings.
 */
import { templatePart as t } from "../terraform/hcl.js";
import { clusterDnsIp, customNetworkingLine, type BootstrapExpressions } from "./inputs.js";

export function renderBottlerocket(e: BootstrapExpressions): string {
  const reserved = `${e.kubeReserved} == null ? "" : "\\n[settings.kubernetes.kube-reserved]\\n\${join("\\n", [for name, quantity in ${e.kubeReserved} : "\${name} = \${jsonencode(quantity)}"])}\\n"`;
  return [
    `${customNetworkingLine(e)}[settings.kubernetes]`,
    `api-server = \${jsonencode(${e.clusterEndpoint})}`,
    `cluster-certificate = \${jsonencode(${e.clusterCertificateAuthorityData})}`,
    `cluster-name = \${jsonencode(${e.clusterName})}`,
    `cluster-dns-ip = \${jsonencode(${clusterDnsIp(e)})}`,
    `max-pods = ${t(e.maxPods)}`,
    t(reserved),
  ].join("\n");
}
