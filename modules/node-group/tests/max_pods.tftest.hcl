# Effective max pods: explicit -> --max-pods=N in kubelet_extra_args -> automatic from the
# instance type's EC2 data, mocked here with the limits AWS publishes for each type.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
}

# One plan of tests/fixtures/instance_types, which calls this module once per case.
run "max_pods_by_instance_type" {
  command = plan

  module {
    source = "./tests/fixtures/instance_types"
  }

  # t3.micro: 2 ENIs, 2 IPv4 per ENI, 2 vCPUs, Nitro.
  override_data {
    target = module.case["t3_micro"].data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 1, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
  # m5.24xlarge: 15 ENIs, 50 IPv4 per ENI, 96 vCPUs, Nitro.
  override_data {
    target = module.case["m5_24xlarge"].data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 15
      maximum_ipv4_addresses_per_interface = 50
      default_vcpus                        = 96
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 15, baseline_bandwidth = 1, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
  # m4.large: 2 ENIs, 10 IPv4 per ENI, 2 vCPUs, Xen (no prefixes).
  override_data {
    target = module.case["m4_large"].data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 10
      default_vcpus                        = 2
      hypervisor                           = "xen"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 1, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
  # p5.48xlarge: 32 network cards with 2 ENIs each (64 in all), 50 IPv4 per ENI, 192 vCPUs;
  # only the default card (0) carries pod IPs.
  override_data {
    target = module.case["p5_48xlarge_without_prefixes"].data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 64
      maximum_ipv4_addresses_per_interface = 50
      default_vcpus                        = 192
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards = [
        { index = 0, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 1, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 2, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 3, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 4, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 5, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 6, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 7, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 8, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 9, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 10, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 11, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 12, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 13, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 14, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 15, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 16, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 17, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 18, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 19, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 20, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 21, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 22, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 23, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 24, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 25, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 26, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 27, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 28, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 29, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 30, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
        { index = 31, maximum_interfaces = 2, baseline_bandwidth = 100, peak_bandwidth = 100, performance = "100 Gigabit" },
      ]
      supported_architectures = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods.t3a_medium == 110 && output.max_pods_addressable.t3a_medium == 242
    error_message = "t3a.medium with prefixes: 3 x (5 x 16) + 2 = 242 addressable, capped at 110; got ${output.max_pods.t3a_medium} (${output.max_pods_addressable.t3a_medium})"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*)\n--//--", output.user_data.t3a_medium)[0]).spec.kubelet.config.maxPods == 110
    error_message = "the AL2023 NodeConfig for t3a.medium should set kubelet.config.maxPods = 110"
  }
  assert {
    condition     = output.max_pods.t3a_medium_without_prefixes == 17
    error_message = "t3a.medium without prefixes: 3 x (6 - 1) + 2 = 17; got ${output.max_pods.t3a_medium_without_prefixes}"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*)\n--//--", output.user_data.t3a_medium_without_prefixes)[0]).spec.kubelet.config.maxPods == 17
    error_message = "the AL2023 NodeConfig for t3a.medium without prefixes should set kubelet.config.maxPods = 17"
  }
  assert {
    condition     = output.max_pods.t3_micro == 34
    error_message = "t3.micro with prefixes: 2 x (1 x 16) + 2 = 34; got ${output.max_pods.t3_micro}"
  }
  assert {
    condition     = output.max_pods.m5_24xlarge == 250
    error_message = "m5.24xlarge has 96 vCPUs: capped at 250; got ${output.max_pods.m5_24xlarge}"
  }
  assert {
    condition     = output.max_pods.m4_large == 20
    error_message = "m4.large is Xen, prefixes do not apply: 2 x (10 - 1) + 2 = 20; got ${output.max_pods.m4_large}"
  }
  assert {
    condition     = output.max_pods.p5_48xlarge_without_prefixes == 100
    error_message = "p5.48xlarge counts its default card's 2 ENIs: 2 x (50 - 1) + 2 = 100; got ${output.max_pods.p5_48xlarge_without_prefixes}"
  }
  assert {
    condition     = output.max_pods.explicit_max_pods == 58
    error_message = "an explicit max_pods should win; got ${output.max_pods.explicit_max_pods}"
  }
  assert {
    condition     = output.max_pods.kubelet_flag == 64 && !strcontains(output.user_data.kubelet_flag, "--max-pods")
    error_message = "--max-pods=64 in kubelet_extra_args should set max pods and, on AL2023, move into kubelet.config.maxPods"
  }
}

run "explicit_max_pods_above_what_t3_micro_addresses_is_refused" {
  command = plan

  variables {
    instance_type = "t3.micro"
    max_pods      = 110
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 1, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  # The precondition says: "max_pods (or --max-pods=N in kubelet_extra_args) asks for 110 pods,
  # but instance_type t3.micro can give only 34 pods an IP address with enable_prefix_delegation = true".
  expect_failures = [aws_launch_template.this]
}
