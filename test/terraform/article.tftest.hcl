# The article environment's root stack, planned against a mocked AWS account.
# Run by test/terraform.test.ts from a harness folder beside the synthesized cdktf.out/ and modules/, beside the
# generated test every environment gets (test/support/environment-test.ts: plan, and the same user data as the module).

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
