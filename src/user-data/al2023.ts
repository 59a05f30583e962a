/**
 * Amazon Linux 2023: a MIME multipart document with one nodeadm NodeConfig,
 * then (with the launch readiness gate) a shell script part that starts it.
 * The YAML comes from Terraform's yamlencode, so values are always quoted.
 */
import { expr, hclString, templatePart as t } from "../terraform/hcl.js";
import { flagNamePattern } from "../rules/max-pods.js";
import type { BootstrapExpressions, DeclareLocal } from "./inputs.js";

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

/** The NodeConfig nodeadm reads, an object local of named parts (the user data writes it with yamlencode). */
export function nodeConfig(e: BootstrapExpressions, local: DeclareLocal): string {
  const cluster = local(
    "nodeadm_cluster",
    `{ name = ${e.clusterName}, apiServerEndpoint = ${e.clusterEndpoint}, certificateAuthority = ${e.clusterCertificateAuthorityData}, cidr = ${e.clusterServiceCidr} }`,
  );
  const flags = local("nodeadm_kubelet_flags", al2023KubeletFlags(e));
  const kubelet = local(
    "nodeadm_kubelet",
    `{ config = merge({ maxPods = ${e.maxPods} }, { for key, value in { kubeReserved = ${e.kubeReserved} } : key => value if value != null }), flags = ${flags} }`,
  );
  return local("node_config", `{ apiVersion = ${hclString("node.eks.aws/v1alpha1")}, kind = ${hclString("NodeConfig")}, spec = { cluster = ${cluster}, kubelet = ${kubelet} } }`);
}

export function renderAl2023(e: BootstrapExpressions, local: DeclareLocal): string[] {
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`,
    "",
    `--${MIME_BOUNDARY}`,
    "Content-Type: application/node.eks.aws",
    "",
    `${t(e.customNetworkingComment)}${expr(`yamlencode(${nodeConfig(e, local)})`)}`,
    // cloud-init runs shell-script parts; nodeadm reads only the NodeConfig (AL2023 user data is MIME multipart).
    `%{ if ${e.readinessGate} }--${MIME_BOUNDARY}\nContent-Type: text/x-shellscript; charset="us-ascii"\n\n#!/bin/bash\n${t(e.readinessGateLauncher)}\n%{ endif }--${MIME_BOUNDARY}--`,
    "",
  ];
}
