# Test fixture: the node-group module as a user calls it, twice, planned by the real AWS provider against a
# recorded state (state.json, see test/support/rollout.ts): one plan shows what a rename does to the first
# group and what a tag-only change does to the second. Only the instance type lookup goes out, to a local
# EC2 stub (the test sets AWS_ENDPOINT_URL_EC2 to it).

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "renamed_name" {
  type        = string
  description = "Name of the group the test renames."
  default     = "nodes"
}

variable "retagged_tags" {
  type        = map(string)
  description = "Tags of the group the test retags."
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
}

module "renamed" {
  source = "../../../modules/node-group"

  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
  ami_id                             = "ami-0123456789abcdef0"

  name = var.renamed_name
  tags = { team = "sre" }
}

module "retagged" {
  source = "../../../modules/node-group"

  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
  ami_id                             = "ami-0123456789abcdef0"

  name = "tagged"
  tags = var.retagged_tags
}
