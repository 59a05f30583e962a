/**
 * Amazon Linux 2: a shell script calling /etc/eks/bootstrap.sh, then (with
 * the launch readiness gate) starting the gate's script. Every value
 * is single-quoted; the node-group rules refuse values that could close the
 * quotes, so nothing reaches the shell unquoted.
 */
import { KUBELET_MAX_PODS_FLAG_PATTERN } from "../rules/max-pods.js";
import { hclString, templatePart as t } from "../terraform/hcl.js";
import { clusterDnsIp, type BootstrapExpressions, type DeclareLocal } from "./inputs.js";

/**
 * kubelet flags for bootstrap.sh: `--max-pods=N` first unless the user's
 * flags already carry one (the article's style), then the user's flags, then
 * `--kube-reserved` sized for the effective max pods. Each flag is a local.
 */
export function al2KubeletArgs(e: BootstrapExpressions, local: DeclareLocal): string {
  const hasMaxPodsFlag = `can(regex(${hclString(KUBELET_MAX_PODS_FLAG_PATTERN)}, ${e.kubeletExtraArgs}))`;
  const maxPodsFlag = local("al2_max_pods_flag", `${hasMaxPodsFlag} ? "" : "--max-pods=\${${e.maxPods}}"`);
  const reservedFlag = local(
    "al2_kube_reserved_flag",
    `${e.kubeReserved} == null ? "" : "--kube-reserved=\${join(",", [for name, quantity in ${e.kubeReserved} : "\${name}=\${quantity}"])}"`,
  );
  return local("al2_kubelet_args", `join(" ", compact([${maxPodsFlag}, trimspace(${e.kubeletExtraArgs}), ${reservedFlag}]))`);
}

export function renderAl2(e: BootstrapExpressions, local: DeclareLocal): string[] {
  return [
    "#!/bin/bash",
    "set -o errexit -o nounset -o pipefail",
    `${t(e.customNetworkingComment)}/etc/eks/bootstrap.sh '${t(e.clusterName)}' \\`,
    `  --apiserver-endpoint '${t(e.clusterEndpoint)}' \\`,
    `  --b64-cluster-ca '${t(e.clusterCertificateAuthorityData)}' \\`,
    `  --dns-cluster-ip '${t(clusterDnsIp(e))}' \\`,
    `  --use-max-pods ${t(e.useMaxPods)} \\`,
    `  --kubelet-extra-args '${t(al2KubeletArgs(e, local))}'`,
    // bootstrap.sh has started the kubelet; the gate's script waits for it and the CNI, detached.
    `%{ if ${e.readinessGate} }${t(e.readinessGateLauncher)}\n%{ endif }`,
  ];
}
