/**
 * The Auto Scaling group and how it replaces nodes: an instance refresh that
 * launches each replacement before its old node goes (by default), a
 * termination lifecycle hook that holds terminating nodes for the drain, and
 * create-before-destroy replacement of the group itself (a rename brings the
 * new group up before the old one is emptied).
 */
import { AutoscalingGroup, type AutoscalingGroupInstanceRefreshPreferences } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { TerraformIterator, Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { addLocal, expr, hclString } from "../hcl.js";
import { preconditionsFor, type CrossRule } from "../rules.js";
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
  /** Expression text: the tags map. */
  readonly tags: string;
  readonly dependsOn?: ITerraformDependable[];
  readonly rules: readonly CrossRule[];
  readonly ruleRefs: Record<string, string>;
}

/** The group (`aws_autoscaling_group.<group>`). */
export class NodeAutoscalingGroup extends Construct {
  public readonly autoscalingGroup: AutoscalingGroup;

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
  }
}
