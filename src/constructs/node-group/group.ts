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
import { Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { dynamicBlock } from "../../terraform/dynamic-block.js";
import { addLocal, expr, hclString } from "../../terraform/hcl.js";
import { preconditionsFor, type CrossRule } from "../../rules/checker.js";
import { TerraformData } from "../../terraform/terraform-data.js";
import { READINESS_HOOK_NAME } from "../../user-data/readiness-gate.js";
import { TERMINATION_HANDLER_MANAGED_TAG } from "./rules.js";

/** Seconds a new group's capacity wait adds to the readiness hook's timeout: time for a node to boot. */
export const CAPACITY_WAIT_MARGIN_SECONDS = 300;

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
  /** What a node needs before it can complete the launching hook (the node role's readiness policy). */
  readonly readinessGatePolicy: ITerraformDependable;
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
    const local = (localId: string, expression: string) => addLocal(this, localId, expression);
    const terminationHooks = local(
      "termination_hooks",
      `${props.terminationHandling} ? { ${hclString(TERMINATION_HOOK_NAME)} = ${props.heartbeatTimeout} } : {}`,
    );
    const nodeReadyTimeout = /^[\w.]+$/.test(props.nodeReadyTimeout) ? props.nodeReadyTimeout : `(${props.nodeReadyTimeout})`;
    const readinessHooks = local(
      "readiness_hooks",
      `${props.readinessGate} ? { ${hclString(READINESS_HOOK_NAME)} = { transition = "autoscaling:EC2_INSTANCE_LAUNCHING", default_result = "ABANDON", timeout = ${nodeReadyTimeout} } } : {}`,
    );
    // Every hook a new group starts with: the drain hook, and the readiness gate's launching hook, so that even the
    // first nodes of a new (or renamed) group count only once they can run pods.
    const drainHooks = `{ for name, timeout in ${terminationHooks} : name => { transition = "autoscaling:EC2_INSTANCE_TERMINATING", default_result = "CONTINUE", timeout = timeout } }`;
    const hooks = local("initial_lifecycle_hooks", `merge(${local("drain_hooks", drainHooks)}, ${readinessHooks})`);
    // The provider marks initial_lifecycle_hook ForceNew and sends it only in CreateAutoScalingGroup
    // (terraform-provider-aws, internal/service/autoscaling/group.go), so the group ignores later changes to it:
    // the readiness hook reaches an existing group as a resource of its own (below), and a change of the drain hook
    // still replaces the group, as it did before, through this trigger.
    const terminationTrigger = new TerraformData(this, "data:termination_hooks", { triggersReplace: Token.asAny(expr(terminationHooks)) });

    this.autoscalingGroup = new AutoscalingGroup(this, "autoscaling_group:this", {
      // name_prefix + create_before_destroy: a replacement group gets a fresh name and comes up first.
      namePrefix: expr(`format("%s-", ${props.name})`),
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredCapacity: props.desiredSize,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: "EC2",
      // A new group's apply waits for its nodes to be InService, and fails on a failed scaling activity (group.go,
      // waitGroupCapacitySatisfied); with the gate that is after each node completed the hook, so the wait outlasts
      // the hook's timeout by a boot: nodes that cannot complete it fail the apply instead of leaving a group that
      // keeps launching and abandoning. Without the gate, the provider's default.
      waitForCapacityTimeout: expr(`${props.readinessGate} ? format("%ds", ${nodeReadyTimeout} + ${CAPACITY_WAIT_MARGIN_SECONDS}) : "10m"`),
      launchTemplate: { id: props.launchTemplateId, version: Token.asString(props.launchTemplateVersion) },
      instanceRefresh: {
        strategy: "Rolling",
        preferences: props.refreshPreferences,
      },
      // Terminating nodes wait for the handler's drain (or the timeout: CONTINUE); launching ones for their own
      // readiness (or the timeout: ABANDON).
      initialLifecycleHook: dynamicBlock(hooks, (each) => ({
        name: each.key,
        lifecycle_transition: each.value("transition"),
        default_result: each.value("default_result"),
        heartbeat_timeout: each.value("timeout"),
      })),
      tag: dynamicBlock(groupTags, (each) => ({ key: each.key, value: each.value(), propagate_at_launch: true })),
      dependsOn: [...(props.dependsOn ?? []), props.readinessGatePolicy],
      lifecycle: {
        createBeforeDestroy: true,
        ignoreChanges: ["desired_capacity", "initial_lifecycle_hook"],
        // A plain reference: Terraform's JSON syntax takes no ${...} here (as in depends_on).
        replaceTriggeredBy: [`${terminationTrigger.terraformResourceType}.${terminationTrigger.friendlyUniqueId}`],
        precondition: preconditionsFor(props.rules, props.ruleRefs),
      },
    });

    // New nodes wait in Pending:Wait until they complete this hook themselves (CONTINUE); one that cannot within the
    // timeout is abandoned (terminated), which fails an instance refresh. A new group already has it from its
    // initial hooks (this resource then puts the same hook again); an existing group gets it from here, without the
    // replacement a new initial hook would cause. Turning the gate off deletes it.
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
