# Secure defaults: IMDSv2 with hop limit 1, encrypted volumes, no public IP, only the documented managed policies.

mock_provider "aws" {
  source = "./mocks"
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_tokens == "required" && aws_launch_template.this.metadata_options[0].http_endpoint == "enabled"
    error_message = "IMDSv2 should be required"
  }
  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "the IMDS hop limit should be 1: pods outside the host network must not reach the node's credentials"
  }
  assert {
    condition     = alltrue([for mapping in aws_launch_template.this.block_device_mappings : mapping.ebs[0].encrypted == "true" && mapping.ebs[0].volume_type == "gp3" && mapping.ebs[0].volume_size == 20])
    error_message = "every volume should be encrypted gp3 of 20 GiB"
  }
  assert {
    condition     = aws_launch_template.this.network_interfaces[0].associate_public_ip_address == "false" && aws_launch_template.this.network_interfaces[0].security_groups == toset(["sg-0123456789abcdef0"])
    error_message = "nodes should get no public IP and the given security groups"
  }
  assert {
    condition     = toset(keys(aws_iam_role_policy_attachment.this)) == toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"])
    error_message = "the node role should get the worker policy, pull-only ECR access and the CNI policy, and no SSM access by default"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.this["AmazonEKSWorkerNodePolicy"].policy_arn == "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
    error_message = "policies should be AWS managed policies of the current partition"
  }
  assert {
    condition     = length(aws_eks_access_entry.this) == 1 && aws_eks_access_entry.this[0].type == "EC2_LINUX"
    error_message = "an EC2_LINUX access entry should let the nodes join"
  }
}

run "ssm_hop_limit_2_and_own_cni_role" {
  command = plan

  variables {
    attach_ssm_policy                    = true
    attach_cni_policy                    = false
    metadata_http_put_response_hop_limit = 2
    create_access_entry                  = false
  }

  assert {
    condition     = toset(keys(aws_iam_role_policy_attachment.this)) == toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"])
    error_message = "attach_ssm_policy adds AmazonSSMManagedInstanceCore; attach_cni_policy = false drops the CNI policy"
  }
  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_put_response_hop_limit == 2
    error_message = "metadata_http_put_response_hop_limit = 2 should reach the launch template"
  }
  assert {
    condition     = length(aws_eks_access_entry.this) == 0
    error_message = "create_access_entry = false should create no access entry"
  }
}

run "an_empty_security_group_list_is_refused" {
  command = plan

  variables {
    security_group_ids = []
  }

  expect_failures = [var.security_group_ids]
}
