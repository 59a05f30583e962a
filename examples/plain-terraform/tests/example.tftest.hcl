# The example tested as a team tests its own root module: against the mocked AWS account the modules ship
# (modules/<module>/mocks/aws.tfmock.hcl), with nothing mocked here. The path is relative to the folder terraform
# test runs in; with the modules called from git or a registry it is
# ".terraform/modules/node_group/modules/node-group/mocks".

mock_provider "aws" {
  source = "../../modules/node-group/mocks"
}

variables {
  cluster_name = "sre-test"
  subnet_ids   = ["subnet-0123456789abcdef0"]
}

run "article_inputs" {
  command = plan

  assert {
    condition     = output.max_pods == 110
    error_message = "the article's inputs should give 110 pods per node, got ${output.max_pods}"
  }
  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "the add-on should run in prefix mode with one warm prefix"
  }
  assert {
    condition     = strcontains(module.node_group.user_data, "--use-max-pods false") && strcontains(module.node_group.user_data, "--kubelet-extra-args '--max-pods=110")
    error_message = "the nodes should bootstrap with the article's flags"
  }
  assert {
    condition     = output.vpc_cni_addon_version == "v1.19.2-eksbuild.1"
    error_message = "the add-on should take the version EKS offers for the cluster's Kubernetes version (the mocks' v1.19.2-eksbuild.1)"
  }
}

run "the_node_group_agrees_with_the_addon" {
  command = plan

  variables {
    custom_networking = true
    eni_configs = {
      "ap-northeast-1a" = { subnet_id = "subnet-0a1b2c3d4e5f60101" }
      "ap-northeast-1c" = { subnet_id = "subnet-0a1b2c3d4e5f60102" }
    }
  }

  assert {
    condition     = output.max_pods == 110 && module.node_group.max_pods_addressable == 162
    error_message = "with custom networking the node group should count one interface less: (3 - 1) x 80 + 2 = 162, capped at 110"
  }
  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG == "true"
    error_message = "the add-on should run with custom networking"
  }
  assert {
    condition     = keys(jsondecode(output.vpc_cni_configuration_values).eniConfig.subnets) == ["ap-northeast-1a", "ap-northeast-1c"]
    error_message = "the add-on should create an ENIConfig for each zone of eni_configs"
  }
  assert {
    condition     = length(output.warnings) == 1 && strcontains(output.warnings[0], "Amazon Linux 2")
    error_message = "the article's AL2 nodes should plan with a note that AL2 AMIs are past end of support"
  }
}

# Another instance type: override the node group's instance type lookup with the figures EC2 publishes for it.
# Automatic max pods is known at plan because the node group waits for the add-on through wait_for (a
# module-level depends_on would leave it unknown until apply).
run "automatic_max_pods_for_another_instance_type" {
  command = plan

  variables {
    instance_type      = "t3.micro"
    ami_type           = "AL2023_x86_64_STANDARD"
    kubelet_extra_args = ""
  }

  # t3.micro: 2 ENIs, 2 IPv4 per ENI, 2 vCPUs, 1024 MiB, Nitro.
  override_data {
    target = module.node_group.data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3.micro"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 1024
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.064, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 34
    error_message = "a t3.micro with prefixes should get 2 x 16 + 2 = 34 pods, got ${output.max_pods}"
  }
}

# Identifiers of what the modules create exist after apply, in AWS's formats.
run "identifiers_after_apply" {
  command = apply

  assert {
    condition     = can(regex("^sre-test-nodes-[0-9]{26}$", output.autoscaling_group_name))
    error_message = "the Auto Scaling group should be named <cluster>-<name>-<unique suffix>, got ${output.autoscaling_group_name}"
  }
  assert {
    condition     = can(regex("^https://sqs\\.ap-northeast-1\\.amazonaws\\.com/123456789012/", output.termination_queue_url))
    error_message = "the termination queue URL should be an SQS queue URL, got ${output.termination_queue_url}"
  }
  assert {
    condition     = can(regex("^arn:aws:eks:ap-northeast-1:123456789012:addon/sre-test/vpc-cni/", module.vpc_cni.addon_arn)) && module.vpc_cni.addon_id == "sre-test:vpc-cni"
    error_message = "the add-on's ARN and ID should have EKS's formats"
  }
  assert {
    condition     = can(regex("^arn:aws:iam::123456789012:role/sre-test-nodes-[0-9]{26}$", yamldecode(output.aws_auth_map_role)[0].rolearn))
    error_message = "the aws-auth entry should carry the node role's ARN, got ${output.aws_auth_map_role}"
  }
}
