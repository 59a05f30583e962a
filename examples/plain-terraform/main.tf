# Raising pod density on an existing EKS cluster with plain Terraform:
# the vpc-cni add-on in prefix mode, then a node group that knows its new max pods.
# The cdktf root stacks (src/root-stack.ts) wire the same two modules the same way.

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
  source = "../../modules/vpc-cni"

  cluster_name             = data.aws_eks_cluster.this.name
  kubernetes_version       = data.aws_eks_cluster.this.version
  enable_prefix_delegation = true # ENABLE_PREFIX_DELEGATION=true
  warm_prefix_target       = 1    # WARM_PREFIX_TARGET=1
}

module "node_group" {
  source = "../../modules/node-group"

  cluster_name                       = data.aws_eks_cluster.this.name
  cluster_endpoint                   = data.aws_eks_cluster.this.endpoint
  cluster_certificate_authority_data = data.aws_eks_cluster.this.certificate_authority[0].data
  cluster_service_cidr               = data.aws_eks_cluster.this.kubernetes_network_config[0].service_ipv4_cidr
  kubernetes_version                 = data.aws_eks_cluster.this.version
  subnet_ids                         = var.subnet_ids
  security_group_ids                 = [data.aws_eks_cluster.this.vpc_config[0].cluster_security_group_id]

  instance_type            = var.instance_type
  ami_type                 = var.ami_type
  kubelet_extra_args       = var.kubelet_extra_args
  use_max_pods             = var.use_max_pods
  enable_prefix_delegation = true

  # New nodes start only once the CNI runs in prefix mode. (A module-level depends_on would
  # also work, but would defer the module's data sources and checks to apply time.)
  wait_for = [module.vpc_cni.addon_arn]
}
