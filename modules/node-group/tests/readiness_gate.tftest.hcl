# Launch readiness gate: a launching lifecycle hook (ABANDON, among a new group's initial hooks and a resource of its own
# for groups that exist already) the node completes itself once its kubelet is healthy
# and the VPC CNI has written its config, a user-data script part that does it (AL2023 after the NodeConfig, AL2
# after bootstrap.sh), the node role's inline policy scoped to the group, and an instance refresh that rolls back.
# Off: none of it, and the user data as the release before the gate rendered it.

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

run "gate_on_al2" {
  command = plan

  variables {
    ami_type           = "AL2_x86_64"
    kubernetes_version = "1.32"
    node_ready_timeout = 900
  }

  assert {
    condition     = can(regex("(?s)^#!/bin/bash\n.*/etc/eks/bootstrap.sh 'sre-test'.*--kubelet-extra-args '[^\n]*'\ncat >/usr/local/bin/eks-pod-density-ready <<'EKS_POD_DENSITY_READY'\n.*\nsystemd-run --no-block --unit=eks-pod-density-ready /usr/local/bin/eks-pod-density-ready 'eks-pod-density-ready' '900'\n$", output.user_data))
    error_message = "the AL2 user data should start the gate's script after bootstrap.sh, with the group's timeout"
  }
  assert {
    condition     = aws_autoscaling_lifecycle_hook.ready[0].heartbeat_timeout == 900 && [for hook in aws_autoscaling_group.this.initial_lifecycle_hook : hook.heartbeat_timeout if hook.name == "eks-pod-density-ready"] == [900] && aws_autoscaling_group.this.wait_for_capacity_timeout == "1200s"
    error_message = "the hook (the resource and the new group's initial hook) should wait node_ready_timeout seconds, the capacity wait 300 s more"
  }
}

run "gate_off" {
  command = plan

  variables {
    launch_readiness_gate = false
  }

  assert {
    condition     = length(aws_autoscaling_lifecycle_hook.ready) == 0 && length(aws_iam_role_policy.readiness_gate) == 0
    error_message = "without the gate there should be no launching hook and no extra policy"
  }
  assert {
    condition     = [for hook in aws_autoscaling_group.this.initial_lifecycle_hook : hook.name] == ["eks-pod-density-drain"] && aws_autoscaling_group.this.wait_for_capacity_timeout == "10m"
    error_message = "without the gate a new group should start with the drain hook alone and wait for capacity as long as the provider's default"
  }
  assert {
    condition     = !strcontains(output.user_data, "eks-pod-density-ready") && endswith(output.user_data, "\n--//--\n") && length(regexall("--//\n", output.user_data)) == 1
    error_message = "without the gate the AL2023 user data should be the NodeConfig part alone, as before"
  }
}

run "gate_off_al2" {
  command = plan

  variables {
    launch_readiness_gate = false
    ami_type              = "AL2_x86_64"
    kubernetes_version    = "1.32"
  }

  assert {
    condition     = !strcontains(output.user_data, "eks-pod-density-ready") && can(regex("--kubelet-extra-args '[^\n]*'\n$", output.user_data))
    error_message = "without the gate the AL2 user data should end with the bootstrap.sh call, as before"
  }
}

run "bottlerocket_keeps_ec2_health" {
  command = plan

  variables {
    ami_type = "BOTTLEROCKET_x86_64"
  }

  assert {
    condition     = length(aws_autoscaling_lifecycle_hook.ready) == 0 && length(aws_iam_role_policy.readiness_gate) == 0 && !strcontains(output.user_data, "eks-pod-density-ready")
    error_message = "a Bottlerocket group cannot complete the hook, so it should get none"
  }
  assert {
    condition     = anytrue([for warning in output.warnings : startswith(warning, "launch_readiness_gate: Bottlerocket nodes cannot complete the launching lifecycle hook")])
    error_message = "the warnings output should say that the Bottlerocket group has no readiness gate"
  }
}

# The runs above plan new groups; this one applies one, and the next plans a change of that existing group.
run "gate_by_default" {
  command = apply

  assert {
    condition     = length(aws_autoscaling_lifecycle_hook.ready) == 1
    error_message = "the group should have the launching hook by default"
  }
  assert {
    condition = {
      name                   = aws_autoscaling_lifecycle_hook.ready[0].name
      autoscaling_group_name = aws_autoscaling_lifecycle_hook.ready[0].autoscaling_group_name
      lifecycle_transition   = aws_autoscaling_lifecycle_hook.ready[0].lifecycle_transition
      default_result         = aws_autoscaling_lifecycle_hook.ready[0].default_result
      heartbeat_timeout      = aws_autoscaling_lifecycle_hook.ready[0].heartbeat_timeout
      } == {
      name                   = "eks-pod-density-ready"
      autoscaling_group_name = aws_autoscaling_group.this.name
      lifecycle_transition   = "autoscaling:EC2_INSTANCE_LAUNCHING"
      default_result         = "ABANDON"
      heartbeat_timeout      = 600
    }
    error_message = "the launching hook should hold new nodes of this group up to 600 s and abandon those that do not complete it"
  }
  assert {
    condition = { for hook in aws_autoscaling_group.this.initial_lifecycle_hook : hook.name => [hook.lifecycle_transition, hook.default_result, hook.heartbeat_timeout] } == {
      "eks-pod-density-drain" = ["autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE", 300]
      "eks-pod-density-ready" = ["autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON", 600]
    }
    error_message = "a new group should start with the launching hook among its initial hooks, so its first nodes are gated too"
  }
  assert {
    condition     = aws_autoscaling_group.this.wait_for_capacity_timeout == "900s"
    error_message = "a new group's apply should wait for its nodes 300 s longer than the hook holds them, so nodes that cannot complete it fail the apply"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "a refresh that fails on an abandoned node should roll back to the previous launch template version"
  }
  assert {
    condition     = can(regex("(?s)Content-Type: application/node.eks.aws\n\n.*\n--//\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n#!/bin/bash\ncat >/usr/local/bin/eks-pod-density-ready <<'EKS_POD_DENSITY_READY'\n.*\nsystemd-run --no-block --unit=eks-pod-density-ready /usr/local/bin/eks-pod-density-ready 'eks-pod-density-ready' '600'\n--//--\n$", output.user_data))
    error_message = "the AL2023 user data should start the gate's script in a shell-script part after the NodeConfig"
  }
  assert {
    condition     = strcontains(output.user_data, "aws autoscaling complete-lifecycle-action") && strcontains(output.user_data, "--lifecycle-action-result CONTINUE")
    error_message = "the script should complete the lifecycle action with CONTINUE"
  }
  assert {
    condition     = strcontains(output.user_data, "http://127.0.0.1:10248/healthz") && strcontains(output.user_data, "/etc/cni/net.d/10-aws.conflist")
    error_message = "the script should wait for the kubelet's healthz and the VPC CNI's config"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.readiness_gate[0].policy) == {
      Version = "2012-10-17"
      Statement = [
        { Sid = "CompleteOwnLaunch", Effect = "Allow", Action = "autoscaling:CompleteLifecycleAction", Resource = "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/sre-test-nodes-??????????????????????????" },
        { Sid = "FindOwnGroup", Effect = "Allow", Action = "autoscaling:DescribeAutoScalingInstances", Resource = "*" },
      ]
    }
    error_message = "the node role may complete lifecycle actions of this group's names only"
  }
  assert {
    condition     = can(regex("^sre-test-nodes-.{26}$", aws_autoscaling_group.this.name)) && !can(regex("^sre-test-nodes-.{26}$", "sre-test-nodes-gpu-20261128000000000000000001"))
    error_message = "the policy's 26 single-character wildcards should match this group's generated name and no longer name"
  }
  assert {
    condition     = aws_iam_role_policy.readiness_gate[0].role == aws_iam_role.this.id && aws_iam_role_policy.readiness_gate[0].name == "eks-pod-density-readiness-gate"
    error_message = "the policy should be a named inline part of the node role"
  }
  assert {
    condition     = length(output.warnings) == 0
    error_message = "an AL2023 group with the gate should warn about nothing"
  }
}


run "gate_off_on_the_existing_group" {
  command = plan

  variables {
    launch_readiness_gate = false
  }

  assert {
    condition     = length(aws_autoscaling_lifecycle_hook.ready) == 0 && length(aws_iam_role_policy.readiness_gate) == 0
    error_message = "turning the gate off should delete the launching hook resource (which deletes the group's hook) and the policy"
  }
  assert {
    condition     = length(aws_autoscaling_group.this.initial_lifecycle_hook) == 2
    error_message = "the existing group should keep its initial hooks as recorded: the group ignores changes to them, which would replace it"
  }
}

run "timeout_out_of_range" {
  command = plan

  variables {
    node_ready_timeout = 20
  }

  expect_failures = [var.node_ready_timeout]
}
