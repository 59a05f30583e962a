# The article environment's root stack, planned against a mocked AWS account.
# Run by test/terraform.test.ts from a harness folder beside the synthesized cdktf.out/ and modules/, beside the
# generated test every environment gets (test/support/environment-test.ts: plan, and the same user data as the module).

mock_provider "aws" {
  source = "../modules/node-group/mocks"
}

run "root" {
  command = plan

  module {
    source = "../cdktf.out/stacks/article"
  }

  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "the add-on should carry ENABLE_PREFIX_DELEGATION=true and WARM_PREFIX_TARGET=1, got ${output.vpc_cni_configuration_values}"
  }
  assert {
    condition     = strcontains(output.node_user_data, "--use-max-pods false") && strcontains(output.node_user_data, "--kubelet-extra-args '--max-pods=110")
    error_message = "the nodes should bootstrap with the article's --use-max-pods false and --kubelet-extra-args '--max-pods=110'"
  }
  assert {
    condition     = length(regexall("--max-pods", output.node_user_data)) == 1
    error_message = "--max-pods should appear exactly once in the user data"
  }
  assert {
    condition     = output.max_pods == 110
    error_message = "t3a.medium should get 110 pods, got ${output.max_pods}"
  }
  assert {
    condition     = var.kubelet_extra_args == "--max-pods=110" && var.use_max_pods == false
    error_message = "the article's variables should default to the environment's values"
  }
  # The article's environment on what it really runs: Amazon Linux 2 past end of support is a warning, not an error.
  assert {
    condition     = length(output.warnings) == 1 && strcontains(output.warnings[0], "Amazon EKS stopped publishing Amazon Linux 2 AMIs on 2025-11-26")
    error_message = "AL2 nodes should plan with a warning that AL2 AMIs are past end of support, got ${jsonencode(output.warnings)}"
  }
  # The environment's tags reach the nodes (provider default_tags do not reach what an Auto Scaling group launches).
  assert {
    condition = toset([for tag in aws_autoscaling_group.node_group.tag : "${tag.key}=${tag.value}" if tag.propagate_at_launch]) == toset([
      "team=sre", "purpose=test", "eks-pod-density:environment=article", "Name=sre-test-nodes", "kubernetes.io/cluster/sre-test=owned", "aws-node-termination-handler/managed=",
    ])
    error_message = "the group should propagate the environment's tags to its instances"
  }
  assert {
    condition     = terraform_data.node_group_launch_template_tags.input == { team = "sre", purpose = "test", "eks-pod-density:environment" = "article", Name = "sre-test-nodes", "kubernetes.io/cluster/sre-test" = "owned" }
    error_message = "new volumes and network interfaces should get the environment's tags"
  }
  assert {
    condition     = length(aws_eks_access_entry.node_group) == 1 && output.aws_auth_map_roles == null
    error_message = "an API_AND_CONFIG_MAP cluster should get an access entry, and no aws-auth entry to add"
  }
  assert {
    condition     = length(aws_sqs_queue.node_group_termination) == 1 && length(aws_cloudwatch_event_rule.node_group_termination) == 5
    error_message = "the stack should have the termination queue and its rules (outputs termination_queue_url and termination_handler_policy_json)"
  }
}

run "deploy_var_overrides_the_article_variables" {
  command = plan

  module {
    source = "../cdktf.out/stacks/article"
  }

  variables {
    kubelet_extra_args = "--max-pods=58"
  }

  assert {
    condition     = output.max_pods == 58 && strcontains(output.node_user_data, "--kubelet-extra-args '--max-pods=58")
    error_message = "--var kubelet_extra_args=... should reach the user data, as terraform.tfvars did in the article"
  }
}

# On a cluster that only reads the aws-auth ConfigMap, EKS refuses access entries: the stack says what to map instead.
run "config_map_cluster_gets_the_aws_auth_entry" {
  command = apply

  module {
    source = "../cdktf.out/stacks/article"
  }

  override_data {
    target = data.aws_eks_cluster.cluster
    values = {
      name                      = "sre-test"
      endpoint                  = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
      version                   = "1.32"
      certificate_authority     = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
      kubernetes_network_config = [{ service_ipv4_cidr = "10.100.0.0/16", service_ipv6_cidr = "", ip_family = "ipv4", elastic_load_balancing = [] }]
      access_config             = [{ authentication_mode = "CONFIG_MAP", bootstrap_cluster_creator_admin_permissions = false }]
      vpc_config                = [{ cluster_security_group_id = "sg-0123456789abcdef0", endpoint_private_access = true, endpoint_public_access = true, public_access_cidrs = [], security_group_ids = [], subnet_ids = [], vpc_id = "vpc-0123456789abcdef0" }]
    }
  }

  assert {
    condition     = length(aws_eks_access_entry.node_group) == 0
    error_message = "no access entry on a CONFIG_MAP cluster (EKS refuses it)"
  }
  assert {
    condition     = yamldecode(output.aws_auth_map_roles) == [{ rolearn = aws_iam_role.node_group.arn, username = "system:node:{{EC2PrivateDNSName}}", groups = ["system:bootstrappers", "system:nodes"] }]
    error_message = "the aws-auth mapRoles entry for the node role should be an output"
  }
}

