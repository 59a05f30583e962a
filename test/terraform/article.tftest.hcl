# The article environment's root stack, planned against a mocked AWS account.
# Run by test/terraform.test.ts from a harness folder beside the synthesized cdktf.out/ and modules/.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "root" {
  command = plan

  module {
    source = "../cdktf.out/stacks/article"
  }

  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "the add-on should carry ENABLE_PREFIX_DELEGATION=true and WARM_PREFIX_TARGET=1, got ${output.vpc_cni_configuration_values}"
  }
  assert {
    condition     = strcontains(output.node_user_data, "--use-max-pods false") && strcontains(output.node_user_data, "--kubelet-extra-args '--max-pods=110")
    error_message = "the nodes should bootstrap with the article's --use-max-pods false and --kubelet-extra-args '--max-pods=110'"
  }
  assert {
    condition     = length(regexall("--max-pods", output.node_user_data)) == 1
    error_message = "--max-pods should appear exactly once in the user data"
  }
  assert {
    condition     = output.max_pods == 110
    error_message = "t3a.medium should get 110 pods, got ${output.max_pods}"
  }
  assert {
    condition     = var.kubelet_extra_args == "--max-pods=110" && var.use_max_pods == false
    error_message = "the article's variables should default to the environment's values"
  }
}

run "the_module_renders_the_same_user_data" {
  command = plan

  module {
    source = "../modules/node-group"
  }

  variables {
    cluster_name                       = "sre-test"
    cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
    cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
    cluster_service_cidr               = "10.100.0.0/16"
    kubernetes_version                 = "1.32"
    subnet_ids                         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    security_group_ids                 = ["sg-0123456789abcdef0"]
    instance_type                      = "t3a.medium"
    ami_type                           = "AL2_x86_64"
    kubelet_extra_args                 = "--max-pods=110"
    use_max_pods                       = false
  }

  assert {
    condition     = output.user_data == run.root.node_user_data
    error_message = "modules/node-group should render the same user data as the article root stack"
  }
  assert {
    condition     = output.max_pods == run.root.max_pods
    error_message = "modules/node-group should compute the same max pods as the article root stack"
  }
}

run "deploy_var_overrides_the_article_variables" {
  command = plan

  module {
    source = "../cdktf.out/stacks/article"
  }

  variables {
    kubelet_extra_args = "--max-pods=58"
  }

  assert {
    condition     = output.max_pods == 58 && strcontains(output.node_user_data, "--kubelet-extra-args '--max-pods=58")
    error_message = "--var kubelet_extra_args=... should reach the user data, as terraform.tfvars did in the article"
  }
}
