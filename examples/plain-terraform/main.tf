# Raising pod density on an existing EKS cluster with plain Terraform:
# the vpc-cni add-on in prefix mode, then a node group that knows its new max pods.
# The cdktf root stacks (src/app/root-stack.ts) wire the same two modules the same way.

terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

module "vpc_cni" {
  # This repository's copy, tested with it; from your own configuration, the release:
  #   source = "github.com/<you>/eks-pod-density//modules/vpc-cni?ref=v0.2.0"
  source = "../../modules/vpc-cni"

  cluster_name             = data.aws_eks_cluster.this.name
  kubernetes_version       = data.aws_eks_cluster.this.version # the add-on takes EKS's default version for it
  enable_prefix_delegation = true                              # ENABLE_PREFIX_DELEGATION=true
  warm_prefix_target       = 1                                 # WARM_PREFIX_TARGET=1
  custom_networking        = var.custom_networking
  eni_configs              = var.eni_configs # with custom networking: one ENIConfig per zone, created by the add-on
}

module "node_group" {
  # This repository's copy, tested with it; from your own configuration, the release:
  #   source = "github.com/<you>/eks-pod-density//modules/node-group?ref=v0.2.0"
  source = "../../modules/node-group"

  cluster_name                       = data.aws_eks_cluster.this.name
  cluster_endpoint                   = data.aws_eks_cluster.this.endpoint
  cluster_certificate_authority_data = data.aws_eks_cluster.this.certificate_authority[0].data
  cluster_service_cidr               = data.aws_eks_cluster.this.kubernetes_network_config[0].service_ipv4_cidr
  kubernetes_version                 = data.aws_eks_cluster.this.version
  subnet_ids                         = var.subnet_ids
  security_group_ids                 = [data.aws_eks_cluster.this.vpc_config[0].cluster_security_group_id]

  instance_type      = var.instance_type
  ami_type           = var.ami_type # AL2 AMIs are past end of support: "AL2023_x86_64_STANDARD" is the way on
  kubelet_extra_args = var.kubelet_extra_args
  use_max_pods       = var.use_max_pods

  # Max pods follows what the CNI runs with; the node role keeps the CNI's policy while aws-node uses it.
  enable_prefix_delegation = module.vpc_cni.prefix_delegation
  custom_networking        = module.vpc_cni.custom_networking
  attach_cni_policy        = module.vpc_cni.attach_cni_policy

  # Rolling the nodes safely (these are the defaults): each replacement launches before its old node
  # terminates and counts after 5 minutes; terminating nodes wait up to 300 s for
  # aws-node-termination-handler to drain them (its queue: output termination_queue_url).
  instance_refresh              = { min_healthy_percentage = 100, max_healthy_percentage = 200, instance_warmup = 300 }
  termination_handling          = true
  termination_heartbeat_timeout = 300

  # Clusters in CONFIG_MAP authentication mode take no access entries: map output aws_auth_map_role in aws-auth instead.
  create_access_entry = contains(["API", "API_AND_CONFIG_MAP"], try(data.aws_eks_cluster.this.access_config[0].authentication_mode, "CONFIG_MAP"))

  tags = var.tags

  # New nodes start only once the CNI runs in prefix mode. Not a module-level depends_on: that would make the
  # module's data sources wait for the add-on, and whenever it changes its max pods and checks would be unknown
  # until apply.
  wait_for = [module.vpc_cni.addon_arn]
}
