# The default environment's root stack, planned against a mocked AWS account.
# Run by test/terraform.test.ts from a harness folder beside the synthesized cdktf.out/ and modules/, beside the
# generated test every environment gets (test/support/environment-test.ts: plan, and the same user data as the module).

mock_provider "aws" {
  source = "../modules/node-group/mocks"
}

run "root" {
  command = plan

  module {
    source = "../cdktf.out/stacks/default"
  }

  assert {
    condition     = jsondecode(output.vpc_cni_configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }
    error_message = "the add-on should carry ENABLE_PREFIX_DELEGATION=true and WARM_PREFIX_TARGET=1, got ${output.vpc_cni_configuration_values}"
  }
  assert {
    condition     = output.max_pods == 110
    error_message = "automatic max pods for t3a.medium with prefixes should be 110, got ${output.max_pods}"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*?)\n--//", output.node_user_data)[0]).spec.kubelet.config.maxPods == 110
    error_message = "the nodeadm NodeConfig should set maxPods 110"
  }
  assert {
    condition     = data.aws_ssm_parameter.node_group_ami[0].name == "/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/x86_64/standard/recommended/image_id"
    error_message = "the AMI should follow the cluster's Kubernetes version"
  }
}
