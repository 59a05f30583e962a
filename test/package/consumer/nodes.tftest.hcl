# The consumer app's stack, planned against the mocked AWS account the package ships (a t3a.medium, an active
# cluster): with prefix delegation the node group must say 110 pods, as the rule in code does, and size
# kube-reserved for them. The path is relative to the stack's folder, where terraform test runs.
mock_provider "aws" {
  source = "../../../node_modules/eks-pod-density/modules/node-group/mocks"
}

run "prefix_delegation" {
  command = plan

  assert {
    condition     = output.max_pods == 110 && output.planned_max_pods == 110 && output.max_pods_addressable == 242
    error_message = "t3a.medium with prefix delegation (from cni): max pods ${output.max_pods} of ${output.max_pods_addressable} addressable (the rule in code: ${output.planned_max_pods}), not 110 of 242"
  }

  assert {
    condition     = output.kube_reserved.memory == "1465Mi"
    error_message = "kube-reserved memory for 110 pods is ${output.kube_reserved.memory}, not 1465Mi"
  }

  assert {
    condition     = strcontains(output.user_data, "\"maxPods\": 110")
    error_message = "the AL2023 NodeConfig does not set maxPods: 110"
  }

  assert {
    condition     = jsondecode(output.configuration_values).env.ENABLE_PREFIX_DELEGATION == "true"
    error_message = "the vpc-cni add-on is not in prefix mode"
  }
}
