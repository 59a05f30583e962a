# configuration_values as the EKS add-on schema expects: {"env": {...}} with string values.

mock_provider "aws" {
  source = "./mocks"
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
    error_message = "without addon_version the version EKS offers for the Kubernetes version should be used"
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
    condition     = jsondecode(output.configuration_values.extra_env).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1", AWS_VPC_K8S_CNI_LOGLEVEL = "DEBUG", POD_SECURITY_GROUP_ENFORCING_MODE = "standard" }
    error_message = "extra_env should add the variables it names, got ${output.configuration_values.extra_env}"
  }
  assert {
    condition     = jsondecode(output.configuration_values.custom).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1", AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true", ENI_CONFIG_LABEL_DEF = "topology.kubernetes.io/zone" }
    error_message = "custom_networking should set AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG and pick ENIConfigs by zone, got ${output.configuration_values.custom}"
  }
  assert {
    condition = jsondecode(output.configuration_values.custom).eniConfig == {
      create = true
      region = "ap-northeast-1"
      subnets = {
        "ap-northeast-1a" = { id = "subnet-0a1b2c3d4e5f60101", securityGroups = ["sg-0123456789abcdef0"] }
        "ap-northeast-1c" = { id = "subnet-0a1b2c3d4e5f60102", securityGroups = [] }
      }
    }
    error_message = "eni_configs should become one ENIConfig per zone in the add-on's eniConfig, created in the provider's region, got ${output.configuration_values.custom}"
  }
  assert {
    condition     = keys(jsondecode(output.configuration_values.custom_elsewhere)) == ["env"] && jsondecode(output.configuration_values.custom_elsewhere).env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG == "true"
    error_message = "with eni_configs_managed_elsewhere the add-on should run custom networking and render no ENIConfig, got ${output.configuration_values.custom_elsewhere}"
  }
  assert {
    condition     = keys(jsondecode(output.configuration_values.defaults)) == ["env"]
    error_message = "without custom networking nothing but env should be sent"
  }
  assert {
    condition     = jsondecode(output.configuration_values.custom_label).env.ENI_CONFIG_LABEL_DEF == "k8s.amazonaws.com/eniConfig"
    error_message = "an ENI_CONFIG_LABEL_DEF in extra_env should win over the zone label"
  }
  assert {
    condition = output.agreement == {
      defaults     = { prefix_delegation = true, custom_networking = false }
      prefixes_off = { prefix_delegation = false, custom_networking = false }
      custom       = { prefix_delegation = true, custom_networking = true }
    }
    error_message = "prefix_delegation and custom_networking should say what the CNI runs with, for the node group"
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

# ipamd attaches no interface for pods without the ENIConfig of the node's zone: "custom_networking = true needs an
# ENIConfig ...: set eni_configs ..., or eni_configs_managed_elsewhere = true ..." (the bad-input matrix checks the text).
run "custom_networking_without_eni_configs_is_refused" {
  command = plan

  variables {
    custom_networking = true
  }

  expect_failures = [aws_eks_addon.this]
}

run "default_version_unless_most_recent_is_asked_for" {
  command = plan

  assert {
    condition     = data.aws_eks_addon_version.this[0].most_recent == false && data.aws_eks_addon_version.this[0].kubernetes_version == "1.33"
    error_message = "without addon_version the add-on should take EKS's default version for the cluster's Kubernetes version, which moves only with it"
  }
}

run "most_recent_on_request" {
  command = plan

  variables {
    most_recent = true
  }

  assert {
    condition     = data.aws_eks_addon_version.this[0].most_recent == true
    error_message = "most_recent = true should follow the newest add-on build"
  }
}

run "pinned_version_looks_nothing_up" {
  command = plan

  variables {
    addon_version = "v1.19.2-eksbuild.1"
  }

  assert {
    condition     = length(data.aws_eks_addon_version.this) == 0 && aws_eks_addon.this.addon_version == "v1.19.2-eksbuild.1"
    error_message = "a pinned addon_version should be used as given"
  }
}

run "node_role_credentials_by_default" {
  command = plan

  assert {
    condition     = length(aws_iam_role.this) == 0 && length(aws_eks_addon.this.pod_identity_association) == 0 && output.cni_role_arn == null
    error_message = "by default aws-node keeps the node role's permissions: no role of its own, no association"
  }
  assert {
    condition     = output.attach_cni_policy == true
    error_message = "aws-node uses the node role: the node group must keep AmazonEKS_CNI_Policy on it"
  }
}

run "irsa_credentials_free_the_node_role" {
  command = plan

  variables {
    service_account_role_arn = "arn:aws:iam::123456789012:role/vpc-cni"
  }

  assert {
    condition     = output.attach_cni_policy == false
    error_message = "with an IRSA role aws-node no longer needs the node role's AmazonEKS_CNI_Policy"
  }
}

run "pod_identity_credentials" {
  command = apply

  variables {
    cni_credentials = "pod_identity"
  }

  assert {
    condition = jsondecode(aws_iam_role.this[0].assume_role_policy) == {
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Principal = { Service = "pods.eks.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }]
    }
    error_message = "the CNI's role should be trusted by EKS Pod Identity (pods.eks.amazonaws.com: AssumeRole and TagSession)"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.this[0].policy_arn == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" && aws_iam_role_policy_attachment.this[0].role == aws_iam_role.this[0].name
    error_message = "the CNI's role should carry AmazonEKS_CNI_Policy"
  }
  assert {
    condition     = [for a in aws_eks_addon.this.pod_identity_association : [a.service_account, a.role_arn]] == [["aws-node", aws_iam_role.this[0].arn]]
    error_message = "the add-on should bind the role to the aws-node service account"
  }
  assert {
    condition     = output.cni_role_arn == aws_iam_role.this[0].arn
    error_message = "cni_role_arn should be the CNI's role"
  }
  assert {
    condition     = aws_eks_addon.pod_identity_agent[0].addon_name == "eks-pod-identity-agent" && aws_eks_addon.pod_identity_agent[0].cluster_name == "sre-test"
    error_message = "Pod Identity needs the eks-pod-identity-agent add-on: the module should create it"
  }
  assert {
    condition     = output.attach_cni_policy == false
    error_message = "with a Pod Identity role aws-node no longer needs the node role's AmazonEKS_CNI_Policy"
  }
}

run "pod_identity_on_a_cluster_that_has_the_agent" {
  command = plan

  variables {
    cni_credentials           = "pod_identity"
    create_pod_identity_agent = false
  }

  assert {
    condition     = length(aws_eks_addon.pod_identity_agent) == 0 && length(aws_eks_addon.this.pod_identity_association) == 1
    error_message = "create_pod_identity_agent = false should leave the cluster's own agent alone and still bind aws-node's role"
  }
}

run "no_agent_without_pod_identity" {
  command = plan

  assert {
    condition     = length(aws_eks_addon.pod_identity_agent) == 0
    error_message = "with the node role's credentials no agent is needed"
  }
}

run "extra_env_may_not_set_what_a_typed_input_owns" {
  command = plan

  variables {
    extra_env = { WARM_PREFIX_TARGET = "0" }
  }

  expect_failures = [var.extra_env]
}

run "extra_env_may_not_name_a_variable_the_addon_schema_refuses" {
  command = plan

  variables {
    extra_env = { ENABLE_NFTABLES = "true" }
  }

  expect_failures = [var.extra_env]
}
