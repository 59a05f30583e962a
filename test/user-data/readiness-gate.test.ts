/**
 * The launch readiness gate's node script, run under bash with stand-ins on PATH: `curl` answers the kubelet's
 * healthz and IMDSv2 from files the test writes, `aws` records its calls and answers or fails as told. The CNI
 * config is a file in the test's directory.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { READINESS_HOOK_NAME, READINESS_SCRIPT } from "../../src/user-data/readiness-gate.js";

const INSTANCE_ID = "i-0123456789abcdef0";
const REGION = "ap-northeast-1";
const GROUP = "sre-test-nodes-20261205120000000000000001";

// curl: the kubelet's healthz answers "ok" once the file `healthy` exists (after `unhealthy-polls` failed polls,
// when that file holds a count); IMDS answers the token, instance id and region.
const CURL = `#!/bin/bash
dir="$(dirname "$0")"
url="\${@: -1}"
case "$url" in
  */healthz)
    if [[ -f "$dir/unhealthy-polls" ]]; then
      left="$(cat "$dir/unhealthy-polls")"
      if ((left > 0)); then echo $((left - 1)) >"$dir/unhealthy-polls"; exit 7; fi
      touch "$dir/healthy"
    fi
    [[ -f "$dir/healthy" ]] || exit 7
    printf ok ;;
  */api/token) printf token ;;
  */meta-data/instance-id) printf '${INSTANCE_ID}' ;;
  */meta-data/placement/region) printf '${REGION}' ;;
  *) exit 22 ;;
esac
`;

// aws: every call is appended to `calls`; complete-lifecycle-action fails while `complete-failures` counts down,
// or always with the API's message when `no-action` exists.
const AWS = `#!/bin/bash
dir="$(dirname "$0")"
printf '%s\\n' "$*" >>"$dir/calls"
case "$2" in
  describe-auto-scaling-instances) printf '${GROUP}\\n' ;;
  complete-lifecycle-action)
    if [[ -f "$dir/no-action" ]]; then
      echo "An error occurred (ValidationError) when calling the CompleteLifecycleAction operation: No active Lifecycle Action found with instance ID ${INSTANCE_ID}" >&2
      exit 254
    fi
    if [[ -f "$dir/complete-failures" ]]; then
      left="$(cat "$dir/complete-failures")"
      if ((left > 0)); then
        echo $((left - 1)) >"$dir/complete-failures"
        echo "Could not connect to the endpoint URL: \\"https://autoscaling.${REGION}.amazonaws.com/\\"" >&2
        exit 255
      fi
    fi ;;
esac
`;

interface Node {
  dir: string;
  run(timeout: number): { status: number | null; stderr: string; calls: string[] };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function node(setup: { healthy?: boolean; unhealthyPolls?: number; cniConfig?: boolean; completeFailures?: number; noAction?: boolean }): Node {
  const dir = mkdtempSync(join(tmpdir(), "readiness-gate-"));
  dirs.push(dir);
  const write = (name: string, text: string, mode?: number) => {
    writeFileSync(join(dir, name), text);
    if (mode) chmodSync(join(dir, name), mode);
  };
  write("eks-pod-density-ready", READINESS_SCRIPT, 0o755);
  write("curl", CURL, 0o755);
  write("aws", AWS, 0o755);
  if (setup.healthy) write("healthy", "");
  if (setup.unhealthyPolls !== undefined) write("unhealthy-polls", String(setup.unhealthyPolls));
  if (setup.cniConfig) write("10-aws.conflist", '{"cniVersion":"0.4.0","name":"aws-cni","plugins":[]}');
  if (setup.completeFailures !== undefined) write("complete-failures", String(setup.completeFailures));
  if (setup.noAction) write("no-action", "");
  return {
    dir,
    run(timeout) {
      const result = spawnSync("bash", [join(dir, "eks-pod-density-ready"), READINESS_HOOK_NAME, String(timeout)], {
        encoding: "utf8",
        timeout: 30_000,
        env: { PATH: `${dir}:/usr/bin:/bin`, CNI_CONFIG: join(dir, "10-aws.conflist"), POLL_SECONDS: "0.1" },
      });
      const callsFile = join(dir, "calls");
      const calls = existsSync(callsFile) ? readFileSync(callsFile, "utf8").trim().split("\n") : [];
      return { status: result.status, stderr: result.stderr, calls };
    },
  };
}

const completions = (calls: string[]) => calls.filter((call) => call.startsWith("autoscaling complete-lifecycle-action"));

describe("readiness gate script", () => {
  it("completes the launching hook with CONTINUE once, for its own instance and group, when the kubelet is healthy and the CNI config exists", () => {
    // GIVEN a node whose kubelet answers ok and whose CNI config is written
    const { status, stderr, calls } = node({ healthy: true, cniConfig: true }).run(30);
    // THEN it finds its group and completes exactly one lifecycle action, with CONTINUE
    expect(status, stderr).toBe(0);
    expect(calls[0]).toBe(
      `autoscaling describe-auto-scaling-instances --region ${REGION} --instance-ids ${INSTANCE_ID} --query AutoScalingInstances[0].AutoScalingGroupName --output text`,
    );
    expect(completions(calls)).toEqual([
      `autoscaling complete-lifecycle-action --region ${REGION} --auto-scaling-group-name ${GROUP} --lifecycle-hook-name ${READINESS_HOOK_NAME} --instance-id ${INSTANCE_ID} --lifecycle-action-result CONTINUE`,
    ]);
    expect(stderr).toContain(`completed lifecycle hook ${READINESS_HOOK_NAME} of ${GROUP} with CONTINUE`);
  });

  it("waits for a kubelet that becomes healthy later, then completes once", () => {
    const { status, stderr, calls } = node({ unhealthyPolls: 5, cniConfig: true }).run(30);
    expect(status, stderr).toBe(0);
    expect(completions(calls)).toHaveLength(1);
  });

  it("never ready (kubelet healthy, but no CNI config): calls no AWS API, exits 1 at the timeout and leaves the action to time out", () => {
    const { status, stderr, calls } = node({ healthy: true, cniConfig: false }).run(1);
    expect(status).toBe(1);
    expect(calls).toEqual([]);
    expect(stderr).toContain("not ready after 1 s");
    expect(stderr).toContain("Auto Scaling abandons this instance");
  });

  it("never ready (kubelet unhealthy): does not complete the action", () => {
    const { status, calls } = node({ healthy: false, cniConfig: true }).run(1);
    expect(status).toBe(1);
    expect(completions(calls)).toEqual([]);
  });

  it("retries a failing complete-lifecycle-action, logging each failure, and completes once it succeeds", () => {
    // GIVEN the Auto Scaling endpoint unreachable for the first two calls
    const { status, stderr, calls } = node({ healthy: true, cniConfig: true, completeFailures: 2 }).run(30);
    // THEN three calls, two logged failures, one completion
    expect(status, stderr).toBe(0);
    expect(completions(calls)).toHaveLength(3);
    expect(stderr).toContain(`completing lifecycle hook ${READINESS_HOOK_NAME} of ${GROUP} failed (attempt 1): Could not connect to the endpoint URL`);
    expect(stderr).toContain("failed (attempt 2)");
    expect(stderr).not.toContain("failed (attempt 3)");
    expect(stderr).toContain("with CONTINUE");
  });

  it("an AWS call that keeps failing is retried until the timeout, then the script gives up with status 1 (the node keeps running)", () => {
    const { status, stderr, calls } = node({ healthy: true, cniConfig: true, completeFailures: 1_000_000 }).run(2);
    expect(status).toBe(1);
    expect(completions(calls).length).toBeGreaterThan(1);
    expect(stderr).toContain("could not complete lifecycle hook");
  });

  it("stops at once when the hook holds no action for the instance (launched before the hook existed)", () => {
    const { status, stderr, calls } = node({ healthy: true, cniConfig: true, noAction: true }).run(30);
    expect(status, stderr).toBe(0);
    expect(completions(calls)).toHaveLength(1);
    expect(stderr).toContain("holds no action");
  });
});
