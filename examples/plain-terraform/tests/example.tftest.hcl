# The example plans with the article's inputs against a mocked AWS account.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_eks_cluster" {
    defaults = {
      name                      = "sre-test"
      endpoint                  = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
      version                   = "1.32"
      certificate_authority     = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
      kubernetes_network_config = [{ service_ipv4_cidr = "10.100.0.0/16", service_ipv6_cidr = "", ip_family = "ipv4", elastic_load_balancing = [] }]
      access_config             = [{ authentication_mode = "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions = false }]
      vpc_config                = [{ cluster_security_group_id = "sg-0123456789abcdef0", endpoint_private_access = true, endpoint_public_access = true, public_access_cidrs = [], security_group_ids = [], subnet_ids = [], vpc_id = "vpc-0123456789abcdef0" }]
    }
  }
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.19.2-eksbuild.1" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { insecure_value = "ami-0123456789abcdef0" }
  }
  mock_data "aws_ec2_instance_type" {
    defaults = {
      maximum_network_interfaces           = 3
      maximum_ipv4_addresses_per_interface = 6
      default_vcpus                        = 2
      memory_size                          = 4096
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 3, baseline_bandwidth = 0.256, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
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
}

run "the_node_group_agrees_with_the_addon" {
  command = plan

  variables {
    custom_networking = true
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
    condition     = length(output.warnings) == 1 && strcontains(output.warnings[0], "Amazon Linux 2")
    error_message = "the article's AL2 nodes should plan with a note that AL2 AMIs are past end of support"
  }
}
