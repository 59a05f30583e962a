# Mocked AWS data for the root stack tests: the cluster the stacks read, the add-on versions EKS offers,
# and t3a.medium as EC2 describes it (3 ENIs, 6 IPv4 per ENI, 2 vCPUs, 4096 MiB, Nitro).

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

mock_data "aws_ssm_parameter" {
  defaults = { insecure_value = "ami-0123456789abcdef0" }
}

# Identifiers in the shapes AWS returns, for runs that apply (the provider validates some of them).
mock_resource "aws_launch_template" {
  defaults = { id = "lt-0123456789abcdef0", arn = "arn:aws:ec2:ap-northeast-1:123456789012:launch-template/lt-0123456789abcdef0", latest_version = 1 }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/sre-test-nodes-20261128000000000000000001" }
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

mock_resource "aws_eks_addon" {
  defaults = { arn = "arn:aws:eks:ap-northeast-1:123456789012:addon/sre-test/vpc-cni/0123" }
}

mock_data "aws_subnet" {
  defaults = { cidr_block = "10.0.0.0/20" }
}
