# The team's test of its m6i.large nodes against the shipped mocks, with no override_data: the mocks describe a
# t3a.medium, which also gets 110 pods, so this assert would pass on the wrong type's figures. The node group's check
# on the instance data fails the plan instead, naming both types (test/terraform.test.ts expects that failure).

mock_provider "aws" {
  source = "../../../modules/node-group/mocks"
}

run "m6i_large_nodes_take_110_pods" {
  command = plan

  assert {
    condition     = output.max_pods == 110
    error_message = "m6i.large nodes with prefix delegation should take 110 pods, got ${output.max_pods}"
  }
}
