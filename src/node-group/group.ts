/**
 * The Auto Scaling group and how it replaces nodes: an instance refresh that
 * launches each replacement before its old node goes (by default), a
 * termination lifecycle hook that holds terminating nodes for the drain, and
 * create-before-destroy replacement of the group itself (a rename brings the
 * new group up before the old one is emptied), and the launching hook of the
 * readiness gate that new nodes complete themselves.
 */
import { AutoscalingGroup, type AutoscalingGroupInstanceRefreshPreferences } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook/index.js";
import { TerraformIterator, Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { addLocal, expr, hclString } from "../hcl.js";
import { preconditionsFor, type CrossRule } from "../rules.js";
import { READINESS_HOOK_NAME } from "../user-data/readiness-gate.js";
import { TERMINATION_HANDLER_MANAGED_TAG } from "./rules.js";

/** Name of the termination lifecycle hook; the EventBridge rule listens for it. */
export const TERMINATION_HOOK_NAME = "eks-pod-density-drain";

export interface NodeAutoscalingGroupProps {
  /** Expression text: `<cluster>-<name>`. */
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly subnetIds: string[];
  readonly launchTemplateId: string;
  readonly launchTemplateVersion: number;
  /** Instance refresh preferences (literals or expressions). */
  readonly refreshPreferences: AutoscalingGroupInstanceRefreshPreferences;
  /** Expression text (bool): add the termination lifecycle hook and the handler's managed tag. */
  readonly terminationHandling: string;
  /** Expression text: the hook's heartbeat timeout in seconds. */
  readonly heartbeatTimeout: string;
  /** Expression text (bool): add the launching hook of the readiness gate. */
  readonly readinessGate: string;
  /** Expression text: seconds the launching hook waits for a node (its heartbeat timeout). */
  readonly nodeReadyTimeout: string;
  /** Expression text: the tags map. */
  readonly tags: string;
  readonly dependsOn?: ITerraformDependable[];
  readonly rules: readonly CrossRule[];
  readonly ruleRefs: Record<string, string>;
}

/** The group (`aws_autoscaling_group.<group>`). */
export class NodeAutoscalingGroup extends Construct {
  public readonly autoscalingGroup: AutoscalingGroup;
  /** The readiness gate's launching hook (no instance when the gate is off). */
  public readonly readinessHook: AutoscalingLifecycleHook;

  constructor(scope: Construct, id: string, props: NodeAutoscalingGroupProps) {
    super(scope, id);

    // Instances get the group's tags (and with termination handling the handler's managed tag) at launch;
    // changing them touches no running node.
    const groupTags = `merge(${props.tags}, ${props.terminationHandling} ? { ${hclString(TERMINATION_HANDLER_MANAGED_TAG)} = "" } : {})`;
    const tags = TerraformIterator.fromMap(Token.asStringMap(expr(groupTags)));
    const hooks = TerraformIterator.fromMap(
      Token.asAnyMap(
        expr(addLocal(this, "termination_hooks", `${props.terminationHandling} ? { ${hclString(TERMINATION_HOOK_NAME)} = ${props.heartbeatTimeout} } : {}`)),
      ),
    );

    this.autoscalingGroup = new AutoscalingGroup(this, "autoscaling_group:this", {
      // name_prefix + create_before_destroy: a replacement group gets a fresh name and comes up first.
      namePrefix: expr(`format("%s-", ${props.name})`),
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredCapacity: props.desiredSize,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: "EC2",
      launchTemplate: { id: props.launchTemplateId, version: Token.asString(props.launchTemplateVersion) },
      instanceRefresh: {
        strategy: "Rolling",
        preferences: props.refreshPreferences,
      },
      // Terminating nodes wait here until the handler has drained them (or the timeout passes: CONTINUE).
      initialLifecycleHook: hooks.dynamic({
        name: hooks.key,
        lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING",
        default_result: "CONTINUE",
        heartbeat_timeout: hooks.value,
      }),
      tag: tags.dynamic({ key: tags.key, value: tags.value, propagate_at_launch: true }),
      dependsOn: props.dependsOn,
      lifecycle: {
        createBeforeDestroy: true,
        ignoreChanges: ["desired_capacity"],
        precondition: preconditionsFor(props.rules, props.ruleRefs),
      },
    });

    // New nodes wait in Pending:Wait until they complete this hook themselves (CONTINUE); one that cannot within the
    // timeout is abandoned (terminated), which fails an instance refresh. A resource of its own, not an
    // initial_lifecycle_hook: the provider sends those only in CreateAutoScalingGroup and marks them ForceNew, so
    // adding one would replace every existing group. The price: a new group's first nodes launch before the hook exists.
    this.readinessHook = new AutoscalingLifecycleHook(this, "lifecycle_hook:ready", {
      count: Token.asNumber(expr(`${props.readinessGate} ? 1 : 0`)),
      name: READINESS_HOOK_NAME,
      autoscalingGroupName: this.autoscalingGroup.name,
      lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
      defaultResult: "ABANDON",
      heartbeatTimeout: /^[0-9]+$/.test(props.nodeReadyTimeout) ? Number(props.nodeReadyTimeout) : Token.asNumber(expr(props.nodeReadyTimeout)),
    });
  }
}
