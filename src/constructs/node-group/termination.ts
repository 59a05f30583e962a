/**
 * Termination handling for aws-node-termination-handler in queue mode: an
 * encrypted SQS queue, a queue policy that lets EventBridge (and only these
 * rules) send to it, and EventBridge rules for the events the handler
 * cordons and drains on (aws/aws-node-termination-handler README, "Queue
 * Processor"): the group's termination lifecycle action, Spot interruption
 * warnings, rebalance recommendations, instance state changes and AWS Health
 * scheduled changes for EC2 (its README's `MyK8sScheduledChangeRule`:
 * source aws.health, detail-type "AWS Health Event", service EC2,
 * eventTypeCategory scheduledChange).
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { addLocal, addLocalValue, expr, hcl, literal, stringExpression, templatePart as t } from "../../terraform/hcl.js";
import { TERMINATION_HOOK_NAME } from "./group.js";

/** Seconds a message waits for the handler (the handler's documented MessageRetentionPeriod). */
export const TERMINATION_MESSAGE_RETENTION = 300;

/** What each EventBridge rule forwards, by rule key (besides the group's lifecycle action). */
export const EC2_EVENTS = {
  "spot-interruption": "EC2 Spot Instance Interruption Warning",
  rebalance: "EC2 Instance Rebalance Recommendation",
  "state-change": "EC2 Instance State-change Notification",
} as const;

/**
 * Permissions the handler needs in queue mode (its README's IAM policy). RecordLifecycleActionHeartbeat is for
 * its heartbeat option (`heartbeatInterval`), which keeps a long drain inside the termination hook's timeout.
 */
export const TERMINATION_HANDLER_ACTIONS = {
  lifecycle: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
  describe: ["autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeTags", "ec2:DescribeInstances"],
  queue: ["sqs:DeleteMessage", "sqs:ReceiveMessage"],
};

export interface TerminationHandlingProps {
  /** Expression text: `<cluster>-<name>`. */
  readonly name: string;
  /** Expression text: the cluster name (the lifecycle rule matches the cluster's groups, `<cluster>-…`). */
  readonly clusterName: string;
  /** Expression text (bool). */
  readonly enabled: string;
  /** Expression text: the tags map. */
  readonly tags: string;
  /** Expression text: the AWS partition. */
  readonly partition: string;
}

/** Queue, queue policy, rules and targets (addresses `aws_sqs_queue.termination` and so on). */
export class TerminationHandling extends Construct {
  /** Queue URL, or null when termination handling is off. */
  public readonly queueUrl: string;
  /** Queue ARN, or null when termination handling is off. */
  public readonly queueArn: string;
  /** The IAM policy document (JSON) the handler's role needs, or null when termination handling is off. */
  public readonly handlerPolicyJson: string;

  constructor(scope: Construct, id: string, props: TerminationHandlingProps) {
    super(scope, id);
    const tags = Token.asStringMap(expr(props.tags));
    const count = Token.asNumber(expr(`${props.enabled} ? 1 : 0`));

    const queue = new SqsQueue(this, "queue:this", {
      count,
      namePrefix: expr(`format("%s-", substr(${props.name}, 0, 53))`),
      messageRetentionSeconds: TERMINATION_MESSAGE_RETENTION,
      // SSE-SQS: EventBridge can publish to it without a key policy (the handler's README).
      sqsManagedSseEnabled: true,
      tags,
      // A rename makes a new queue (and rules) before the old ones go: events keep a place to land.
      lifecycle: { createBeforeDestroy: true },
    });
    const queueRef = `one(${hcl(this, queue.fqn)}[*])`;

    // The event patterns, a table local in EventBridge's own JSON; each rule gets one, encoded. Scheduled maintenance
    // (retirement, reboot) arrives from AWS Health, not from EC2 (aws-node-termination-handler README).
    const patterns = addLocalValue(this, "event_patterns", {
      "asg-lifecycle": {
        source: ["aws.autoscaling"],
        "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
        detail: { AutoScalingGroupName: [{ prefix: `${t(props.clusterName)}-` }], LifecycleHookName: [literal(TERMINATION_HOOK_NAME)] },
      },
      ...Object.fromEntries(Object.entries(EC2_EVENTS).map(([key, detailType]) => [key, { source: ["aws.ec2"], "detail-type": [detailType] }])),
      "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"], detail: { service: ["EC2"], eventTypeCategory: ["scheduledChange"] } },
    });
    const events = addLocal(this, "events", `${props.enabled} ? { for name, pattern in ${patterns} : name => jsonencode(pattern) } : {}`);
    const rules = TerraformIterator.fromMap(Token.asStringMap(expr(events)));

    const rule = new CloudwatchEventRule(this, "rule:this", {
      forEach: rules,
      // Rule names hold 64 characters, 26 of them Terraform's suffix.
      namePrefix: expr(`format("%s-%s-", substr(${props.name}, 0, 19), each.key)`),
      description: expr(`format("aws-node-termination-handler: %s events for %s", each.key, ${props.name})`),
      eventPattern: rules.value,
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    const targets = TerraformIterator.fromResources(rule);
    new CloudwatchEventTarget(this, "target:this", {
      forEach: targets,
      rule: targets.getString("name"),
      arn: expr(`${queueRef}.arn`),
      lifecycle: { createBeforeDestroy: true },
    });

    new SqsQueuePolicy(this, "queue_policy:this", {
      count,
      queueUrl: expr(`${queueRef}.url`),
      lifecycle: { createBeforeDestroy: true },
      policy: expr(
        `jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "EventBridgeRules", Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sqs:SendMessage", Resource = ${queueRef}.arn, Condition = { ArnEquals = { "aws:SourceArn" = [for r in ${hcl(this, rule.fqn)} : r.arn] } } }, { Sid = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = "sqs:*", Resource = ${queueRef}.arn, Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })`,
      ),
    });

    this.queueUrl = stringExpression(`one(${hcl(this, queue.fqn)}[*].url)`);
    this.queueArn = stringExpression(`one(${hcl(this, queue.fqn)}[*].arn)`);
    // CompleteLifecycleAction only on the cluster's groups (`<cluster>-…`, old and new across a replacement).
    const groups = `format("arn:%s:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/%s-*", ${props.partition}, ${props.clusterName})`;
    this.handlerPolicyJson = stringExpression(
        `${props.enabled} ? jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "CompleteLifecycleAction", Effect = "Allow", Action = ${JSON.stringify(TERMINATION_HANDLER_ACTIONS.lifecycle)}, Resource = ${groups} }, { Sid = "Describe", Effect = "Allow", Action = ${JSON.stringify(TERMINATION_HANDLER_ACTIONS.describe)}, Resource = "*" }, { Sid = "Queue", Effect = "Allow", Action = ${JSON.stringify(TERMINATION_HANDLER_ACTIONS.queue)}, Resource = ${queueRef}.arn }] }) : null`,
    );
  }
}
