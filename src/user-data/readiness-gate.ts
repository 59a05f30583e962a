/**
 * The launch readiness gate's node side: a script the user data installs and
 * starts, which completes the group's launching lifecycle hook with CONTINUE
 * once the node can run pods. Until then the instance stays in Pending:Wait;
 * if the hook's heartbeat timeout passes first, Auto Scaling abandons it.
 *
 * "Can run pods" is read from two signals on the node itself:
 * - the kubelet's healthz endpoint, `http://127.0.0.1:10248/healthz` (the
 *   kubelet's defaults healthzBindAddress 127.0.0.1 and healthzPort 10248,
 *   which neither nodeadm nor bootstrap.sh change), answering `ok`;
 * - the VPC CNI's network configuration `/etc/cni/net.d/10-aws.conflist`,
 *   which aws-node's entrypoint (aws/amazon-vpc-cni-k8s, cmd/aws-vpc-cni)
 *   copies to the host only after ipamd is serving; until it exists the
 *   container runtime reports NetworkReady=false and no pod outside the host
 *   network starts.
 *
 * The script is started with systemd-run, not waited for by cloud-init: on
 * AL2023, nodeadm-run.service (which starts the kubelet) is ordered after
 * cloud-final.service (amazon-eks-ami, nodeadm-run.service), so a user-data
 * script that waited for the kubelet would wait forever.
 */
import { escapeTemplate, templatePart as t } from "../terraform/hcl.js";

/** Name of the launching lifecycle hook the node completes. Fixed: the script finds the group, not the hook. */
export const READINESS_HOOK_NAME = "eks-pod-density-ready";
/** Where the user data installs the script. */
export const READINESS_SCRIPT_PATH = "/usr/local/bin/eks-pod-density-ready";
/** The transient systemd unit the script runs as (`journalctl -u eks-pod-density-ready` on the node). */
export const READINESS_UNIT = "eks-pod-density-ready";

/**
 * The script: `eks-pod-density-ready HOOK_NAME TIMEOUT_SECONDS`. It polls the
 * two signals until TIMEOUT, then reads its instance id and region from IMDSv2,
 * its group from `aws autoscaling describe-auto-scaling-instances` and calls
 * `aws autoscaling complete-lifecycle-action` once. Failed calls are logged
 * and retried until TIMEOUT; none of them fails the node's boot (the unit is
 * detached). Not ready by TIMEOUT: it exits 1 without completing the action,
 * and Auto Scaling abandons the instance when the hook times out.
 * Environment variables KUBELET_HEALTHZ, CNI_CONFIG and POLL_SECONDS exist for tests.
 */
export const READINESS_SCRIPT = String.raw`#!/bin/bash
# eks-pod-density launch readiness gate: completes this instance's launching lifecycle
# action with CONTINUE once the kubelet is healthy and the VPC CNI has written its config.
set -o nounset -o pipefail
readonly hook="$1" timeout="$2"
kubelet_healthz="http://127.0.0.1:10248/healthz"
cni_config="/etc/cni/net.d/10-aws.conflist"
poll=5
# Tests point these at stand-ins.
if [[ -v KUBELET_HEALTHZ ]]; then kubelet_healthz="$KUBELET_HEALTHZ"; fi
if [[ -v CNI_CONFIG ]]; then cni_config="$CNI_CONFIG"; fi
if [[ -v POLL_SECONDS ]]; then poll="$POLL_SECONDS"; fi
readonly imds="http://169.254.169.254/latest"
readonly deadline=$((SECONDS + timeout))

log() { printf 'eks-pod-density-ready: %s\n' "$*" >&2; }

ready() {
  [[ "$(curl --silent --max-time 5 "$kubelet_healthz" 2>/dev/null)" == "ok" ]] && [[ -s "$cni_config" ]]
}

# retry WHAT COMMAND...: run COMMAND until it succeeds (its output on stdout) or the deadline passes.
retry() {
  local what="$1" attempt=1 output
  shift
  while :; do
    if output="$("$@" 2>&1)"; then
      printf '%s' "$output"
      return 0
    fi
    log "$what failed (attempt $attempt): $output"
    # The hook is not holding this instance (it launched before the hook existed, or the action ended): stop.
    if [[ "$output" == *"No active Lifecycle Action found"* ]]; then return 2; fi
    if ((SECONDS >= deadline)); then return 1; fi
    attempt=$((attempt + 1))
    sleep "$poll"
  done
}

imds_get() {
  local token
  token="$(curl --silent --fail --max-time 5 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" "$imds/api/token")" || return 1
  curl --silent --fail --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/$1"
}

until ready; do
  if ((SECONDS >= deadline)); then
    log "not ready after $timeout s (kubelet $kubelet_healthz, CNI config $cni_config): the lifecycle action is left to time out, and Auto Scaling abandons this instance"
    exit 1
  fi
  sleep "$poll"
done
log "kubelet healthy and $cni_config present"

instance_id="$(retry "reading the instance id from IMDS" imds_get instance-id)" || exit 1
region="$(retry "reading the region from IMDS" imds_get placement/region)" || exit 1
group="$(retry "finding this instance's Auto Scaling group" aws autoscaling describe-auto-scaling-instances \
  --region "$region" --instance-ids "$instance_id" \
  --query "AutoScalingInstances[0].AutoScalingGroupName" --output text)" || exit 1
if [[ -z "$group" || "$group" == "None" ]]; then
  log "instance $instance_id is in no Auto Scaling group: nothing to complete"
  exit 0
fi
retry "completing lifecycle hook $hook of $group" aws autoscaling complete-lifecycle-action \
  --region "$region" --auto-scaling-group-name "$group" --lifecycle-hook-name "$hook" \
  --instance-id "$instance_id" --lifecycle-action-result CONTINUE >/dev/null
case $? in
  0) log "completed lifecycle hook $hook of $group with CONTINUE" ;;
  2) log "lifecycle hook $hook of $group holds no action for $instance_id: nothing to complete" ;;
  *) log "could not complete lifecycle hook $hook of $group; the action times out and Auto Scaling abandons this instance"; exit 1 ;;
esac
`;

/** Heredoc delimiter for the script; the script never contains it. */
const SCRIPT_END = "EKS_POD_DENSITY_READY";

/**
 * Shell lines that install the script and start it detached, each a Terraform
 * template (the script's own lines escaped, so they stay text). `timeout` is
 * expression text for a number the module validates; it is single-quoted all
 * the same.
 */
export function readinessGateLauncher(timeout: string): string[] {
  return [
    `cat >${READINESS_SCRIPT_PATH} <<'${SCRIPT_END}'`,
    ...READINESS_SCRIPT.replace(/\n$/, "").split("\n").map(escapeTemplate),
    SCRIPT_END,
    `chmod 0755 ${READINESS_SCRIPT_PATH}`,
    `systemd-run --no-block --unit=${READINESS_UNIT} ${READINESS_SCRIPT_PATH} '${READINESS_HOOK_NAME}' '${t(timeout)}'`,
  ];
}
