/**
 * Amazon Linux 2023: a MIME multipart document with one nodeadm NodeConfig,
 * then (with the launch readiness gate) a shell script part that starts it.
 * The YAML comes from Terraform's yamlencode, so values are always quoted.
 */
import { expr, hclString, templatePart as t } from "../terraform/hcl.js";
import { flagNamePattern } from "../rules/max-pods.js";
import { customNetworkingLine, type BootstrapExpressions } from "./inputs.js";

/** MIME boundary; no rendered value can contain it (inputs are validated). */
export const MIME_BOUNDARY = "//";

/** A flag that sets max pods, in any spelling kubelet accepts (`--max_pods=`). */
const MAX_PODS_FLAG = `^--${flagNamePattern("max-pods")}=`;

/**
 * kubelet flags for nodeadm: the user's flags without `--max-pods=N`, which
 * goes into the NodeConfig (a flag would override kubelet.config.maxPods).
 */
export function al2023KubeletFlags(e: BootstrapExpressions): string {
  return `[for flag in split(" ", ${e.kubeletExtraArgs}) : flag if flag != "" && !can(regex(${hclString(MAX_PODS_FLAG)}, flag))]`;
}

export function nodeConfig(e: BootstrapExpressions): string {
  const kubeletConfig = `merge({ maxPods = ${e.maxPods} }, { for key, value in { kubeReserved = ${e.kubeReserved} } : key => value if value != null })`;
  return [
    "yamlencode({",
    `apiVersion = ${hclString("node.eks.aws/v1alpha1")},`,
    `kind = ${hclString("NodeConfig")},`,
    "spec = {",
    `cluster = { name = ${e.clusterName}, apiServerEndpoint = ${e.clusterEndpoint}, certificateAuthority = ${e.clusterCertificateAuthorityData}, cidr = ${e.clusterServiceCidr} },`,
    `kubelet = { config = ${kubeletConfig}, flags = ${al2023KubeletFlags(e)} }`,
    "}",
    "})",
  ].join(" ");
}

export function renderAl2023(e: BootstrapExpressions): string {
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`,
    "",
    `--${MIME_BOUNDARY}`,
    "Content-Type: application/node.eks.aws",
    "",
    `${customNetworkingLine(e)}${expr(nodeConfig(e))}`,
    // cloud-init runs shell-script parts; nodeadm reads only the NodeConfig (AL2023 user data is MIME multipart).
    `%{ if ${e.readinessGate} }--${MIME_BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    "#!/bin/bash",
    t(e.readinessGateLauncher),
    `%{ endif }--${MIME_BOUNDARY}--`,
    "",
  ].join("\n");
}
