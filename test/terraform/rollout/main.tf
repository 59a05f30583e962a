# Test fixture: the node-group module as a user calls it, planned by the real AWS provider against a state
# that test/terraform.test.ts makes from a mocked apply (tests/state.tftest.hcl). Only the instance type
# lookup goes out, to a local EC2 stub; the plan shows what AWS's provider would do to the nodes.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "ec2_endpoint" {
  type        = string
  description = "EC2 API endpoint: the test's local stub."
  default     = "http://127.0.0.1:9"
}

variable "name" {
  type        = string
  description = "Node group name."
  default     = "nodes"
}

variable "tags" {
  type        = map(string)
  description = "Tags for the node group."
  default     = { team = "sre" }
}

provider "aws" {
  region                      = "ap-northeast-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {
    ec2 = var.ec2_endpoint
  }
}

module "node_group" {
  source = "../../../modules/node-group"

  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
  ami_id                             = "ami-0123456789abcdef0"

  name = var.name
  tags = var.tags
}
