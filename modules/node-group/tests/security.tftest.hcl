# Secure defaults: IMDSv2 required, encrypted volumes, no public IP, only the documented managed policies.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_tokens == "required" && aws_launch_template.this.metadata_options[0].http_endpoint == "enabled"
    error_message = "IMDSv2 should be required"
  }
  assert {
    condition     = alltrue([for mapping in aws_launch_template.this.block_device_mappings : mapping.ebs[0].encrypted == "true" && mapping.ebs[0].volume_type == "gp3"])
    error_message = "every volume should be encrypted gp3"
  }
  assert {
    condition     = aws_launch_template.this.network_interfaces[0].associate_public_ip_address == "false"
    error_message = "nodes should get no public IP"
  }
  assert {
    condition = toset(keys(aws_iam_role_policy_attachment.this)) == toset([
      "AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore", "AmazonEKS_CNI_Policy",
    ])
    error_message = "the node role should get exactly the documented managed policies"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.this["AmazonEKSWorkerNodePolicy"].policy_arn == "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
    error_message = "policies should be AWS managed policies of the current partition"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.this.instance_refresh[0].preferences[0].min_healthy_percentage == 66
    error_message = "nodes should roll with an instance refresh that keeps 66 % in service"
  }
  assert {
    condition     = contains([for tag in aws_autoscaling_group.this.tag : "${tag.key}=${tag.value}" if tag.propagate_at_launch], "kubernetes.io/cluster/sre-test=owned")
    error_message = "the ASG should tag its nodes kubernetes.io/cluster/<name> = owned"
  }
  assert {
    condition     = length(aws_eks_access_entry.this) == 1 && aws_eks_access_entry.this[0].type == "EC2_LINUX"
    error_message = "an EC2_LINUX access entry should let the nodes join"
  }
}
