# A team's own root module, as a consumer writes it: m6i.large nodes from modules/node-group, beside an existing
# cluster. test/terraform.test.ts plans its tests against the mocked AWS account the modules ship: without an
# override the plan must fail (the mocks describe a t3a.medium), and with the override_data block that
# modules/node-group/README.md gives for m6i.large it must plan that type's figures.

terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

# Declared even though the module does the work: without a provider "aws" block here, terraform test (1.11) does not
# give the module the mocked provider, and the plan asks AWS for credentials.
provider "aws" {
  region = "ap-northeast-1"
}

data "aws_eks_cluster" "this" {
  name = "sre-test"
}

module "node_group" {
  source = "../../../modules/node-group"

  cluster_name                       = data.aws_eks_cluster.this.name
  cluster_endpoint                   = data.aws_eks_cluster.this.endpoint
  cluster_certificate_authority_data = data.aws_eks_cluster.this.certificate_authority[0].data
  cluster_service_cidr               = data.aws_eks_cluster.this.kubernetes_network_config[0].service_ipv4_cidr
  kubernetes_version                 = data.aws_eks_cluster.this.version
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = [data.aws_eks_cluster.this.vpc_config[0].cluster_security_group_id]

  instance_type = "m6i.large"
}

output "max_pods" {
  description = "Max pods of the nodes."
  value       = module.node_group.max_pods
}
