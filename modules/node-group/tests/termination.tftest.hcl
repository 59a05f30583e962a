# Termination handling for aws-node-termination-handler in queue mode: lifecycle hook, encrypted queue with a policy
# for EventBridge, five EventBridge rules with the queue as target, the handler's IAM policy; nothing when off.

mock_provider "aws" {
  source = "./mocks"
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
}

run "termination_handling_by_default" {
  command = apply

  assert {
    condition     = length(aws_sqs_queue.termination) == 1 && aws_sqs_queue.termination[0].sqs_managed_sse_enabled == true && aws_sqs_queue.termination[0].message_retention_seconds == 300
    error_message = "one SSE-encrypted queue that keeps messages 300 s"
  }
  assert {
    condition     = aws_sqs_queue.termination[0].name_prefix == "sre-test-nodes-"
    error_message = "the queue is named after the group"
  }
  assert {
    condition = jsondecode(aws_sqs_queue_policy.termination[0].policy).Statement[0] == {
      Sid       = "EventBridgeRules"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.termination[0].arn
      Condition = { ArnEquals = { "aws:SourceArn" = [for key in sort(keys(aws_cloudwatch_event_rule.termination)) : aws_cloudwatch_event_rule.termination[key].arn] } }
    }
    error_message = "the queue policy should let only these EventBridge rules send to the queue"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_policy.termination[0].policy).Statement[1].Effect == "Deny" && jsondecode(aws_sqs_queue_policy.termination[0].policy).Statement[1].Condition == { Bool = { "aws:SecureTransport" = "false" } }
    error_message = "the queue should refuse requests without TLS"
  }
  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.termination["asg-lifecycle"].event_pattern) == {
      source        = ["aws.autoscaling"]
      "detail-type" = ["EC2 Instance-terminate Lifecycle Action"]
      detail        = { AutoScalingGroupName = [{ prefix = "sre-test-" }], LifecycleHookName = ["eks-pod-density-drain"] }
    }
    error_message = "the lifecycle rule should match this cluster's groups (old and new across a replacement) and the module's hook"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.termination["spot-interruption"].event_pattern) == { source = ["aws.ec2"], "detail-type" = ["EC2 Spot Instance Interruption Warning"] }
    error_message = "Spot interruption warnings should reach the queue"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.termination["rebalance"].event_pattern) == { source = ["aws.ec2"], "detail-type" = ["EC2 Instance Rebalance Recommendation"] }
    error_message = "rebalance recommendations should reach the queue"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.termination["state-change"].event_pattern) == { source = ["aws.ec2"], "detail-type" = ["EC2 Instance State-change Notification"] }
    error_message = "instance state changes should reach the queue"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.termination["scheduled-change"].event_pattern) == { source = ["aws.health"], "detail-type" = ["AWS Health Event"], detail = { service = ["EC2"], eventTypeCategory = ["scheduledChange"] } }
    error_message = "AWS Health scheduled changes for EC2 (retirement, maintenance reboots) should reach the queue"
  }
  assert {
    condition     = startswith(aws_cloudwatch_event_rule.termination["scheduled-change"].name_prefix, "sre-test-nodes-scheduled-change-") && length(aws_cloudwatch_event_rule.termination["scheduled-change"].name_prefix) + 26 <= 64
    error_message = "the scheduled-change rule's name prefix should name the group and leave room for Terraform's suffix"
  }
  assert {
    condition     = alltrue([for key, target in aws_cloudwatch_event_target.termination : target.arn == aws_sqs_queue.termination[0].arn && target.rule == aws_cloudwatch_event_rule.termination[key].name]) && length(aws_cloudwatch_event_target.termination) == 5
    error_message = "each rule should target the queue"
  }
  assert {
    condition     = output.termination_queue_url == aws_sqs_queue.termination[0].url && output.termination_queue_arn == aws_sqs_queue.termination[0].arn
    error_message = "the queue's URL and ARN should be outputs"
  }
  assert {
    condition = jsondecode(output.termination_handler_policy_json).Statement == [
      { Sid = "CompleteLifecycleAction", Effect = "Allow", Action = ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"], Resource = "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/sre-test-*" },
      { Sid = "Describe", Effect = "Allow", Action = ["autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeTags", "ec2:DescribeInstances"], Resource = "*" },
      { Sid = "Queue", Effect = "Allow", Action = ["sqs:DeleteMessage", "sqs:ReceiveMessage"], Resource = aws_sqs_queue.termination[0].arn },
    ]
    error_message = "the handler's policy should allow what it needs in queue mode, scoped to the cluster's groups and the queue"
  }
  assert {
    condition     = yamldecode(output.aws_auth_map_role) == [{ rolearn = aws_iam_role.this.arn, username = "system:node:{{EC2PrivateDNSName}}", groups = ["system:bootstrappers", "system:nodes"] }]
    error_message = "the aws-auth entry for CONFIG_MAP clusters should map the node role to system:node:{{EC2PrivateDNSName}} in system:bootstrappers and system:nodes"
  }
}

run "no_termination_handling" {
  command = plan

  variables {
    termination_handling = false
  }

  assert {
    condition     = length(aws_sqs_queue.termination) == 0 && length(aws_sqs_queue_policy.termination) == 0 && length(aws_cloudwatch_event_rule.termination) == 0 && length(aws_cloudwatch_event_target.termination) == 0
    error_message = "termination_handling = false should create no queue, policy, rule or target"
  }
  assert {
    condition     = [for hook in aws_autoscaling_group.this.initial_lifecycle_hook : hook.name] == ["eks-pod-density-ready"] && !contains([for tag in aws_autoscaling_group.this.tag : tag.key], "aws-node-termination-handler/managed")
    error_message = "termination_handling = false should add no termination lifecycle hook (the readiness gate's launching hook stays) and no managed tag"
  }
  assert {
    condition     = output.termination_queue_url == null && output.termination_queue_arn == null && output.termination_handler_policy_json == null
    error_message = "the termination outputs should be null without termination handling"
  }
}
