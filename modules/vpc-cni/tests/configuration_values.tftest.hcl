# configuration_values as the EKS add-on schema expects: {"env": {...}} with string values.

mock_provider "aws" {
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.19.2-eksbuild.1" }
  }
}

variables {
  cluster_name       = "sre-test"
  kubernetes_version = "1.33"
}

run "defaults_take_over_the_preinstalled_cni" {
  command = plan

  assert {
    condition     = output.configuration_values == "{\"env\":{\"ENABLE_PREFIX_DELEGATION\":\"true\",\"WARM_PREFIX_TARGET\":\"1\"}}"
    error_message = "configuration_values should be compact JSON with string values, got ${output.configuration_values}"
  }
  assert {
    condition     = aws_eks_addon.this.configuration_values == output.configuration_values
    error_message = "the output should be exactly what the add-on sends"
  }
  assert {
    condition     = aws_eks_addon.this.addon_name == "vpc-cni" && aws_eks_addon.this.resolve_conflicts_on_create == "OVERWRITE" && aws_eks_addon.this.resolve_conflicts_on_update == "OVERWRITE" && aws_eks_addon.this.preserve == true
    error_message = "the add-on should take over the pre-installed CNI (OVERWRITE) and be preserved on destroy"
  }
}

# One plan of tests/fixtures/configurations, which calls this module once per case.
run "configuration_values_by_case" {
  command = plan

  module {
    source = "./tests/fixtures/configurations"
  }

  assert {
    condition     = jsondecode(output.configuration_values.defaults).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "defaults should send exactly ENABLE_PREFIX_DELEGATION=\"true\" and WARM_PREFIX_TARGET=\"1\", got ${output.configuration_values.defaults}"
  }
  assert {
    condition     = output.addon_version.defaults == "v1.19.2-eksbuild.1"
    error_message = "without addon_version the most recent version for the Kubernetes version should be used"
  }
  assert {
    condition     = jsondecode(output.configuration_values.prefixes_off).env == { ENABLE_PREFIX_DELEGATION = "false" }
    error_message = "with prefixes off only ENABLE_PREFIX_DELEGATION=\"false\" should be sent, got ${output.configuration_values.prefixes_off}"
  }
  assert {
    condition     = jsondecode(output.configuration_values.warm_ip_target).env.WARM_IP_TARGET == "5"
    error_message = "warm_ip_target = 5 should be sent as WARM_IP_TARGET = \"5\", got ${output.configuration_values.warm_ip_target}"
  }
  assert {
    condition     = !contains(keys(jsondecode(output.configuration_values.warm_ip_target).env), "MINIMUM_IP_TARGET")
    error_message = "an unset minimum_ip_target should be left out, not sent as null"
  }
  assert {
    condition     = jsondecode(output.configuration_values.extra_env).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1", AWS_VPC_K8S_CNI_LOGLEVEL = "DEBUG" }
    error_message = "extra_env should add variables but not override typed inputs, got ${output.configuration_values.extra_env}"
  }
  assert {
    condition     = output.addon_version.pinned_with_irsa == "v1.9.0-eksbuild.1"
    error_message = "a pinned v1.9.0 with prefixes on should be accepted"
  }
}

run "pinned_version_before_1_9_with_prefixes_is_refused" {
  command = plan

  variables {
    addon_version = "v1.8.0-eksbuild.1"
  }

  # "addon_version v1.8.0-eksbuild.1 does not support prefix delegation (needs v1.9.0 or later)..."
  expect_failures = [aws_eks_addon.this]
}

run "warm_prefix_target_zero_with_prefixes_is_refused" {
  command = plan

  variables {
    warm_prefix_target = 0
  }

  # "warm_prefix_target = 0 with enable_prefix_delegation = true is not supported by the VPC CNI..."
  expect_failures = [aws_eks_addon.this]
}
