# test/terraform/environments/external.yaml synthesized and planned: the cluster's own Terraform manages the
# vpc-cni add-on, so the stack only reads it (data.aws_eks_addon.vpc_cni) and plans nodes only for the mode it
# runs in. The mocked add-on (modules/node-group/mocks) runs with ENABLE_PREFIX_DELEGATION=true.

mock_provider "aws" {
  source = "../modules/node-group/mocks"
}

run "reads_the_add_on_and_plans_nodes_for_its_prefix_mode" {
  command = plan

  module {
    source = "../cdktf.out/stacks/external"
  }

  assert {
    condition     = output.max_pods == 110
    error_message = "t3a.medium with the add-on's prefix delegation: 110 pods, got ${output.max_pods}"
  }
  assert {
    condition     = output.vpc_cni_configuration_values == data.aws_eks_addon.vpc_cni.configuration_values && output.vpc_cni_addon_version == "v1.19.2-eksbuild.1"
    error_message = "the outputs should show the add-on as its owner configured it"
  }
}

# The console's and eksctl's default: no configuration values, so the CNI hands out single IPs (17 pods on a
# t3a.medium). The plan stops before a node starts with 110.
run "refuses_an_add_on_without_prefix_delegation" {
  command = plan

  module {
    source = "../cdktf.out/stacks/external"
  }

  override_data {
    target = data.aws_eks_addon.vpc_cni
    values = { addon_version = "v1.19.2-eksbuild.1", configuration_values = "" }
  }

  expect_failures = [aws_launch_template.node_group]
}

run "refuses_a_cni_older_than_1_9" {
  command = plan

  module {
    source = "../cdktf.out/stacks/external"
  }

  override_data {
    target = data.aws_eks_addon.vpc_cni
    values = { addon_version = "v1.8.0-eksbuild.1", configuration_values = "{\"env\":{\"ENABLE_PREFIX_DELEGATION\":\"true\"}}" }
  }

  expect_failures = [aws_launch_template.node_group]
}
