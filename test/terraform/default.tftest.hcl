# The default environment's root stack, planned against a mocked AWS account.
# Run by test/terraform.test.ts from a harness folder beside the synthesized cdktf.out/ and modules/.

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
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*)\n--//--", output.node_user_data)[0]).spec.kubelet.config.maxPods == 110
    error_message = "the nodeadm NodeConfig should set maxPods 110"
  }
  assert {
    condition     = data.aws_ssm_parameter.node_group_ami[0].name == "/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/x86_64/standard/recommended/image_id"
    error_message = "the AMI should follow the cluster's Kubernetes version"
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
  }

  assert {
    condition     = output.user_data == run.root.node_user_data
    error_message = "modules/node-group should render the same user data as the default root stack"
  }
}
