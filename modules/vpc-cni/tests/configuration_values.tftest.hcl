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

run "defaults_enable_prefix_delegation_with_one_warm_prefix" {
  command = plan

  assert {
    condition     = jsondecode(output.configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "defaults should send exactly ENABLE_PREFIX_DELEGATION=\"true\" and WARM_PREFIX_TARGET=\"1\", got ${output.configuration_values}"
  }
  assert {
    condition     = output.configuration_values == "{\"env\":{\"ENABLE_PREFIX_DELEGATION\":\"true\",\"WARM_PREFIX_TARGET\":\"1\"}}"
    error_message = "configuration_values should be compact JSON with string values, got ${output.configuration_values}"
  }
  assert {
    condition     = aws_eks_addon.this.configuration_values == output.configuration_values
    error_message = "the output should be exactly what the add-on sends"
  }
  assert {
    condition     = output.addon_version == "v1.19.2-eksbuild.1"
    error_message = "without addon_version the most recent version for the Kubernetes version should be used"
  }
  assert {
    condition     = aws_eks_addon.this.addon_name == "vpc-cni" && aws_eks_addon.this.resolve_conflicts_on_create == "OVERWRITE" && aws_eks_addon.this.resolve_conflicts_on_update == "OVERWRITE" && aws_eks_addon.this.preserve == true
    error_message = "the add-on should take over the pre-installed CNI (OVERWRITE) and be preserved on destroy"
  }
}

run "prefixes_off_leaves_out_warm_prefix_target" {
  command = plan

  variables {
    enable_prefix_delegation = false
  }

  assert {
    condition     = jsondecode(output.configuration_values).env == { ENABLE_PREFIX_DELEGATION = "false" }
    error_message = "with prefixes off only ENABLE_PREFIX_DELEGATION=\"false\" should be sent, got ${output.configuration_values}"
  }
}

run "warm_ip_target_is_a_string" {
  command = plan

  variables {
    warm_ip_target = 5
  }

  assert {
    condition     = jsondecode(output.configuration_values).env.WARM_IP_TARGET == "5"
    error_message = "warm_ip_target = 5 should be sent as WARM_IP_TARGET = \"5\", got ${output.configuration_values}"
  }
  assert {
    condition     = !contains(keys(jsondecode(output.configuration_values).env), "MINIMUM_IP_TARGET")
    error_message = "an unset minimum_ip_target should be left out, not sent as null"
  }
}

run "typed_inputs_win_over_extra_env" {
  command = plan

  variables {
    extra_env = { WARM_PREFIX_TARGET = "0", AWS_VPC_K8S_CNI_LOGLEVEL = "DEBUG" }
  }

  assert {
    condition     = jsondecode(output.configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1", AWS_VPC_K8S_CNI_LOGLEVEL = "DEBUG" }
    error_message = "extra_env should add variables but not override typed inputs, got ${output.configuration_values}"
  }
}

run "pinned_version_and_irsa_role" {
  command = plan

  variables {
    addon_version            = "v1.9.0-eksbuild.1"
    service_account_role_arn = "arn:aws:iam::123456789012:role/vpc-cni"
  }

  assert {
    condition     = output.addon_version == "v1.9.0-eksbuild.1" && aws_eks_addon.this.service_account_role_arn == "arn:aws:iam::123456789012:role/vpc-cni"
    error_message = "a pinned v1.9.0 with prefixes on should be accepted, with the IRSA role"
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
