# A cluster whose vpc-cni add-on another configuration manages: pass it whole (data.aws_eks_addon.vpc_cni) as
# existing_vpc_cni_addon, and the plan stops unless it runs the CNI in the mode this group works out max pods for.

mock_provider "aws" {
  source = "./mocks"
}

# Configuration values as the console writes them (YAML), prefix delegation on: 110 pods on a t3a.medium.
run "an_add_on_in_prefix_mode_is_accepted" {
  command = plan

  variables {
    existing_vpc_cni_addon = {
      addon_version        = "v1.19.2-eksbuild.1"
      configuration_values = "env:\n  ENABLE_PREFIX_DELEGATION: \"true\"\n  WARM_PREFIX_TARGET: \"1\"\n"
    }
  }

  assert {
    condition     = output.max_pods == 110
    error_message = "the add-on assigns prefixes: 110 pods, got ${output.max_pods}"
  }
}

# The add-on as EKS creates it without configuration values: single IPs, 17 pods. A group built for 110 is refused.
run "an_add_on_without_prefix_delegation_is_refused" {
  command = plan

  variables {
    existing_vpc_cni_addon = { addon_version = "v1.19.2-eksbuild.1", configuration_values = "" }
  }

  expect_failures = [aws_launch_template.this]
}

# The same add-on matches a group built without prefixes.
run "an_add_on_without_prefix_delegation_matches_a_group_without_prefixes" {
  command = plan

  variables {
    enable_prefix_delegation = false
    existing_vpc_cni_addon   = { addon_version = "v1.19.2-eksbuild.1", configuration_values = "" }
  }

  assert {
    condition     = output.max_pods == 17
    error_message = "t3a.medium without prefixes: 3 x (6 - 1) + 2 = 17, got ${output.max_pods}"
  }
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
