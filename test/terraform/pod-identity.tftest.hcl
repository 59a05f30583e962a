# test/terraform/environments/pod-identity.yaml synthesized and planned.

mock_provider "aws" {
  source = "../modules/node-group/mocks"
}

run "pod_identity_custom_networking_and_rollout_settings" {
  command = plan

  module {
    source = "../cdktf.out/stacks/pod-identity"
  }

  # m5.large, as EC2 describes it: 3 ENIs, 10 IPv4 per ENI, 2 vCPUs, 8192 MiB, Nitro.
  override_data {
    target = data.aws_ec2_instance_type.node_group
    values = {
      id                                   = "m5.large"
      maximum_network_interfaces           = 3
      maximum_ipv4_addresses_per_interface = 10
      default_vcpus                        = 2
      memory_size                          = 8192
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 3, baseline_bandwidth = 0.75, peak_bandwidth = 10, performance = "Up to 10 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 20
    error_message = "m5.large with custom networking and no prefixes: (3 - 1) x (10 - 1) + 2 = 20, got ${output.max_pods}"
  }
  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env == { ENABLE_PREFIX_DELEGATION = "false", AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true", ENI_CONFIG_LABEL_DEF = "topology.kubernetes.io/zone" }
    error_message = "the add-on should run with custom networking and without prefixes, as the nodes do"
  }
  assert {
    condition = jsondecode(output.vpc_cni_configuration_values).eniConfig == {
      create = true
      region = "ap-northeast-1"
      subnets = {
        "ap-northeast-1a" = { id = "subnet-0a1b2c3d4e5f60101", securityGroups = ["sg-0123456789abcdef0"] }
        "ap-northeast-1c" = { id = "subnet-0a1b2c3d4e5f60102", securityGroups = [] }
      }
    }
    error_message = "the add-on should create one ENIConfig per zone of eni_configs, in the environment's region, got ${output.vpc_cni_configuration_values}"
  }
  assert {
    condition     = aws_eks_addon.pod_identity_agent.addon_name == "eks-pod-identity-agent" && length(aws_iam_role.vpc_cni) == 1
    error_message = "Pod Identity needs the agent add-on and a role for the CNI"
  }
  assert {
    condition     = toset(keys(aws_iam_role_policy_attachment.node_group)) == toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"])
    error_message = "with Pod Identity the node role drops AmazonEKS_CNI_Policy; attach_ssm_policy adds Session Manager"
  }
  assert {
    condition     = aws_launch_template.node_group.metadata_options[0].http_put_response_hop_limit == 2
    error_message = "the environment's IMDS hop limit should reach the launch template"
  }
  assert {
    condition     = aws_autoscaling_group.node_group.instance_refresh[0].preferences[0].min_healthy_percentage == 90 && aws_autoscaling_group.node_group.instance_refresh[0].preferences[0].max_healthy_percentage == 150 && aws_autoscaling_group.node_group.instance_refresh[0].preferences[0].checkpoint_percentages == tolist([50, 100]) && aws_autoscaling_group.node_group.instance_refresh[0].preferences[0].instance_warmup == "300"
    error_message = "the environment's instance_refresh should reach the group, the rest taking the defaults"
  }
  # The stack has no queue at all (test/terraform.test.ts plans it unfolded too: no queue instance there either).
  assert {
    condition     = [for hook in aws_autoscaling_group.node_group.initial_lifecycle_hook : hook.name] == ["eks-pod-density-ready"] && output.termination_queue_url == null && output.termination_handler_policy_json == null
    error_message = "termination_handling: false should create no queue and no drain hook (the readiness gate's launching hook stays)"
  }
}
