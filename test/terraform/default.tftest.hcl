# The default environment's root stack, planned against a mocked AWS account.
# Run by test/terraform.test.ts from a harness folder beside the synthesized cdktf.out/ and modules/.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_eks_cluster" {
    defaults = {
      name                      = "sre-test"
      endpoint                  = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
      version                   = "1.33"
      certificate_authority     = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
      kubernetes_network_config = [{ service_ipv4_cidr = "10.100.0.0/16", service_ipv6_cidr = "", ip_family = "ipv4", elastic_load_balancing = [] }]
      vpc_config                = [{ cluster_security_group_id = "sg-0123456789abcdef0", endpoint_private_access = true, endpoint_public_access = true, public_access_cidrs = [], security_group_ids = [], subnet_ids = [], vpc_id = "vpc-0123456789abcdef0" }]
    }
  }
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.19.2-eksbuild.1" }
  }
  # t3a.medium: 3 ENIs, 6 IPv4 per ENI, 2 vCPUs, Nitro.
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

run "root" {
  command = plan

  module {
    source = "../cdktf.out/stacks/default"
  }

  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "the add-on should carry ENABLE_PREFIX_DELEGATION=true and WARM_PREFIX_TARGET=1, got ${output.vpc_cni_configuration_values}"
  }
  assert {
    condition     = output.max_pods == 110
    error_message = "automatic max pods for t3a.medium with prefixes should be 110, got ${output.max_pods}"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*)\n--//--", output.node_user_data)[0]).spec.kubelet.config.maxPods == 110
    error_message = "the nodeadm NodeConfig should set maxPods 110"
  }
  assert {
    condition     = data.aws_ssm_parameter.node_group_ami[0].name == "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id"
    error_message = "the AMI should follow the cluster's Kubernetes version"
  }
}

run "the_module_renders_the_same_user_data" {
  command = plan

  module {
    source = "../modules/node-group"
  }

  variables {
    cluster_name                       = "sre-test"
    cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
    cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
    cluster_service_cidr               = "10.100.0.0/16"
    kubernetes_version                 = "1.33"
    subnet_ids                         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    security_group_ids                 = ["sg-0123456789abcdef0"]
  }

  assert {
    condition     = output.user_data == run.root.node_user_data
    error_message = "modules/node-group should render the same user data as the default root stack"
  }
}
