# A mocked AWS account for `terraform test`: what the eks-pod-density modules (node-group, vpc-cni,
# prefix-reservations) read from AWS, answered as AWS would, and identifiers in AWS's formats for what they create.
#
#   mock_provider "aws" {
#     source = "<path to this module>/mocks" # relative to the folder terraform test runs in
#   }
#
# mock_provider reads one folder, so this file covers all three modules and ships, identical, in each module's
# mocks/ folder: point at whichever module you call. Mock values apply per type (every aws_iam_role gets the ARN
# below); blocks written inside the mock_provider block win over this file's, and override_data or
# override_resource change a single address. Identifiers of created resources appear with command = apply; a plan
# shows them unknown, as AWS's provider would. Account 123456789012 and region ap-northeast-1 throughout.

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com", reverse_dns_prefix = "com.amazonaws" }
}

# vpc-cni with custom_networking and eni_configs: the provider's region, which the ENIConfigs are created in.
mock_data "aws_region" {
  defaults = { name = "ap-northeast-1", endpoint = "ec2.ap-northeast-1.amazonaws.com", description = "Asia Pacific (Tokyo)" }
}

# node-group: t3a.medium as EC2 DescribeInstanceTypes describes it: 3 ENIs on one network card, 6 IPv4 per ENI,
# 2 vCPUs, 4096 MiB, Nitro, x86_64, up to 5 Gigabit. The provider sets id to the type EC2 answered for, and the
# node group checks it: whatever type a configuration asks for, this answer says t3a.medium, so a plan for another
# type fails instead of passing on t3a.medium's figures. Other types: override_data on
# data.aws_ec2_instance_type.this with their figures and id (modules/node-group/README.md, "Instance types in tests").
mock_data "aws_ec2_instance_type" {
  defaults = {
    id                                   = "t3a.medium"
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

# node-group: the AMI id from the EKS-optimized AMI's public SSM parameter (/aws/service/eks/optimized-ami/...).
mock_data "aws_ssm_parameter" {
  defaults = { type = "String", insecure_value = "ami-0123456789abcdef0", value = "ami-0123456789abcdef0" }
}

# vpc-cni (with neither kubernetes_version nor addon_version) and most root modules: an existing cluster,
# Kubernetes 1.32 (the last version with Amazon Linux 2 AMIs), service CIDR 10.100.0.0/16 (one of the two ranges
# EKS assigns from when none is given).
mock_data "aws_eks_cluster" {
  defaults = {
    arn                       = "arn:aws:eks:ap-northeast-1:123456789012:cluster/sre-test"
    endpoint                  = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
    version                   = "1.32"
    status                    = "ACTIVE"
    certificate_authority     = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
    identity                  = [{ oidc = [{ issuer = "https://oidc.eks.ap-northeast-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" }] }]
    kubernetes_network_config = [{ service_ipv4_cidr = "10.100.0.0/16", service_ipv6_cidr = "", ip_family = "ipv4", elastic_load_balancing = [] }]
    access_config             = [{ authentication_mode = "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions = false }]
    vpc_config                = [{ cluster_security_group_id = "sg-0123456789abcdef0", endpoint_private_access = true, endpoint_public_access = true, public_access_cidrs = ["0.0.0.0/0"], security_group_ids = [], subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], vpc_id = "vpc-0123456789abcdef0" }]
  }
}

# vpc-cni without addon_version: a vpc-cni build as `aws eks describe-addon-versions --addon-name vpc-cni` lists
# them (vX.Y.Z-eksbuild.N; prefix delegation needs v1.9.0 or later).
mock_data "aws_eks_addon_version" {
  defaults = { version = "v1.19.2-eksbuild.1" }
}

# Root modules whose vpc-cni add-on another configuration manages (data.aws_eks_addon, fed to the node group's
# existing_vpc_cni_addon): the add-on as `aws eks describe-addon` shows it once its configuration values turn on
# prefix delegation. An add-on without configuration values reads as "".
mock_data "aws_eks_addon" {
  defaults = {
    arn                  = "arn:aws:eks:ap-northeast-1:123456789012:addon/sre-test/vpc-cni/0ec9d3f2-5b1a-4c7e-8d6f-2a3b4c5d6e7f"
    addon_version        = "v1.19.2-eksbuild.1"
    configuration_values = "{\"env\":{\"ENABLE_PREFIX_DELEGATION\":\"true\",\"WARM_PREFIX_TARGET\":\"1\"}}"
  }
}

# prefix-reservations: a /20 private subnet (4096 addresses, of which AWS reserves 5).
mock_data "aws_subnet" {
  defaults = { cidr_block = "10.0.0.0/20", vpc_id = "vpc-0123456789abcdef0", availability_zone = "ap-northeast-1a", owner_id = "123456789012", available_ip_address_count = 4091 }
}

# Created resources. Names made from a name_prefix end in Terraform's 26-digit unique suffix.

mock_resource "aws_launch_template" {
  defaults = { id = "lt-0123456789abcdef0", arn = "arn:aws:ec2:ap-northeast-1:123456789012:launch-template/lt-0123456789abcdef0", latest_version = 1, default_version = 1 }
}

mock_resource "aws_autoscaling_group" {
  defaults = {
    id   = "sre-test-nodes-20261128000000000000000001"
    name = "sre-test-nodes-20261128000000000000000001"
    arn  = "arn:aws:autoscaling:ap-northeast-1:123456789012:autoScalingGroup:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0:autoScalingGroupName/sre-test-nodes-20261128000000000000000001"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    id        = "sre-test-nodes-20261128000000000000000001"
    name      = "sre-test-nodes-20261128000000000000000001"
    arn       = "arn:aws:iam::123456789012:role/sre-test-nodes-20261128000000000000000001"
    unique_id = "AROA0123456789ABCDEF0"
  }
}

mock_resource "aws_iam_instance_profile" {
  defaults = { arn = "arn:aws:iam::123456789012:instance-profile/sre-test-nodes-20261128000000000000000001" }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:ap-northeast-1:123456789012:sre-test-nodes-20261128000000000000000001"
    url = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/sre-test-nodes-20261128000000000000000001"
  }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = { arn = "arn:aws:events:ap-northeast-1:123456789012:rule/sre-test-nodes-20261128000000000000000001" }
}

# vpc-cni: an EKS add-on's ARN ends in a UUID; its ID is <cluster>:<add-on>.
mock_resource "aws_eks_addon" {
  defaults = { id = "sre-test:vpc-cni", arn = "arn:aws:eks:ap-northeast-1:123456789012:addon/sre-test/vpc-cni/0ec9d3f2-5b1a-4c7e-8d6f-2a3b4c5d6e7f" }
}

# prefix-reservations: subnet CIDR reservation IDs are scr- and 17 hexadecimal digits.
mock_resource "aws_ec2_subnet_cidr_reservation" {
  defaults = { id = "scr-0123456789abcdef0", owner_id = "123456789012" }
}
