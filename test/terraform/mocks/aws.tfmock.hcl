# Mocked AWS data the root stacks read besides what the node group reads: the cluster, the add-on versions EKS
# offers, the node subnets. test/terraform.test.ts appends this file to modules/node-group/tests/mocks (t3a.medium
# as EC2 describes it, the AMI, identifiers for applies) to make the root stack tests' mocks.

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

mock_data "aws_subnet" {
  defaults = { cidr_block = "10.0.0.0/20" }
}

mock_resource "aws_eks_addon" {
  defaults = { arn = "arn:aws:eks:ap-northeast-1:123456789012:addon/sre-test/vpc-cni/0123" }
}
