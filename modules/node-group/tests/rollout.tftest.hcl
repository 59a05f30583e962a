# Rolling the nodes safely: launch before terminate, warm-up before counting a node, a termination lifecycle hook
# that holds each node for the drain, and tags that reach the group and new nodes without a new launch template version.

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
  tags                               = { team = "sre" }
}

run "launch_before_terminate_by_default" {
  command = plan

  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.this.instance_refresh[0].preferences[0].min_healthy_percentage == 100 && aws_autoscaling_group.this.instance_refresh[0].preferences[0].max_healthy_percentage == 200
    error_message = "the refresh should keep 100 % in service and launch replacements first (max healthy 200 %)"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].instance_warmup == "300" && aws_autoscaling_group.this.instance_refresh[0].preferences[0].skip_matching == true && aws_autoscaling_group.this.instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "a new node should count only after 300 s of warm-up; nodes already on the current version are skipped; a failed refresh rolls back"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].checkpoint_percentages == null
    error_message = "no checkpoints by default"
  }
  assert {
    condition     = aws_autoscaling_group.this.name_prefix == "sre-test-nodes-"
    error_message = "the group is named by prefix, so a replacement group can exist beside the old one"
  }
  assert {
    condition = { for hook in aws_autoscaling_group.this.initial_lifecycle_hook : hook.name => [hook.lifecycle_transition, hook.default_result, hook.heartbeat_timeout] } == {
      "eks-pod-density-drain" = ["autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE", 300]
      "eks-pod-density-ready" = ["autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON", 600]
    }
    error_message = "a termination lifecycle hook should hold each node 300 s for the drain, then CONTINUE; a new group starts with the readiness gate's launching hook too"
  }
  assert {
    condition = toset([for tag in aws_autoscaling_group.this.tag : "${tag.key}=${tag.value}" if tag.propagate_at_launch]) == toset([
      "team=sre", "Name=sre-test-nodes", "kubernetes.io/cluster/sre-test=owned", "aws-node-termination-handler/managed=",
    ])
    error_message = "the group should carry and propagate the tags, the cluster tag and the handler's managed tag"
  }
  assert {
    condition     = toset([for spec in aws_launch_template.this.tag_specifications : spec.resource_type]) == toset(["volume", "network-interface"])
    error_message = "new volumes and network interfaces get the tags from the launch template; instances get them from the group"
  }
  assert {
    condition     = terraform_data.launch_template_tags.input == { team = "sre", Name = "sre-test-nodes", "kubernetes.io/cluster/sre-test" = "owned" }
    error_message = "the launch template's volume and interface tags come from the tags"
  }
}

run "instance_refresh_preferences_can_be_changed" {
  command = plan

  variables {
    instance_refresh = { min_healthy_percentage = 90, max_healthy_percentage = 110, checkpoint_percentages = [50, 100], checkpoint_delay = 600, auto_rollback = true }
  }

  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].min_healthy_percentage == 90 && aws_autoscaling_group.this.instance_refresh[0].preferences[0].max_healthy_percentage == 110 && aws_autoscaling_group.this.instance_refresh[0].preferences[0].instance_warmup == "300"
    error_message = "given fields should win, the rest keep their defaults"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].checkpoint_percentages == tolist([50, 100]) && aws_autoscaling_group.this.instance_refresh[0].preferences[0].checkpoint_delay == "600" && aws_autoscaling_group.this.instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "checkpoints and auto rollback should reach the group"
  }
}

run "max_healthy_more_than_100_above_min_healthy_is_refused" {
  command = plan

  variables {
    instance_refresh = { min_healthy_percentage = 50, max_healthy_percentage = 200 }
  }

  expect_failures = [var.instance_refresh]
}

# A first apply, then the same configuration with other tags: the launch template keeps its tag specifications
# (no new version, so no node rolls) while the group and its new instances get the new tags.
run "apply_with_first_tags" {
  command = apply
}

run "tags_alone_make_no_new_launch_template_version" {
  command = plan

  variables {
    tags = { team = "platform", cost-center = "42" }
  }

  assert {
    condition     = terraform_data.launch_template_tags.output == { team = "sre", Name = "sre-test-nodes", "kubernetes.io/cluster/sre-test" = "owned" }
    error_message = "a tag-only change should leave the source of the launch template's tag specifications as it is"
  }
  assert {
    condition     = alltrue([for spec in aws_launch_template.this.tag_specifications : spec.tags == tomap({ team = "sre", Name = "sre-test-nodes", "kubernetes.io/cluster/sre-test" = "owned" })])
    error_message = "a tag-only change should leave the launch template's tag specifications (part of its versioned data) as they are"
  }
  assert {
    condition     = aws_launch_template.this.latest_version == run.apply_with_first_tags.launch_template_latest_version
    error_message = "a tag-only change should make no new launch template version"
  }
  assert {
    condition     = contains([for tag in aws_autoscaling_group.this.tag : "${tag.key}=${tag.value}"], "team=platform") && contains([for tag in aws_autoscaling_group.this.tag : "${tag.key}=${tag.value}"], "cost-center=42")
    error_message = "the group (and the instances it launches) should get the new tags at once"
  }
}
