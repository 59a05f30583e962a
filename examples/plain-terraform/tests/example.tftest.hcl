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
      vpc_config                = [{ cluster_security_group_id = "sg-0123456789abcdef0", endpoint_private_access = true, endpoint_public_access = true, public_access_cidrs = [], security_group_ids = [], subnet_ids = [], vpc_id = "vpc-0123456789abcdef0" }]
    }
  }
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.19.2-eksbuild.1" }
  }
  mock_data "aws_ec2_instance_type" {
    defaults = {
      maximum_network_interfaces           = 3
      maximum_ipv4_addresses_per_interface = 6
      default_vcpus                        = 2
      hypervisor                           = "nitro"
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
