# Effective max pods: explicit -> --max-pods=N in kubelet_extra_args -> automatic from the
# instance type's EC2 data, mocked here with the limits AWS publishes for each type.

mock_provider "aws" {
  source = "./mocks"
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
}

# One plan of tests/fixtures/cases, which calls this module once per case below.
run "max_pods_by_instance_type" {
  command = plan

  module {
    source = "./tests/fixtures/cases"
  }

  variables {
    cases = {
      t3a_medium                   = { instance_type = "t3a.medium", enable_prefix_delegation = true }
      t3a_medium_without_prefixes  = { instance_type = "t3a.medium", enable_prefix_delegation = false }
      t3_micro                     = { instance_type = "t3.micro" }
      m5_24xlarge                  = { instance_type = "m5.24xlarge" }
      m4_large                     = { instance_type = "m4.large", enable_prefix_delegation = true }
      p5_48xlarge_without_prefixes = { instance_type = "p5.48xlarge", enable_prefix_delegation = false }
      explicit_max_pods            = { instance_type = "t3a.medium", max_pods = 58 }
      kubelet_flag                 = { instance_type = "t3a.medium", kubelet_extra_args = "--node-labels=role=worker --max-pods=64" }
      kubelet_flag_underscore      = { instance_type = "t3a.medium", kubelet_extra_args = "--max_pods=58" }
      t3_nano                      = { instance_type = "t3.nano" }
      t3a_nano                     = { instance_type = "t3a.nano" }
      custom_networking            = { instance_type = "t3a.medium", custom_networking = true }
      custom_networking_no_prefix  = { instance_type = "t3a.medium", custom_networking = true, enable_prefix_delegation = false }
      m5_large_custom_no_prefix    = { instance_type = "m5.large", custom_networking = true, enable_prefix_delegation = false }
    }
  }

  # t3.micro: 2 ENIs, 2 IPv4 per ENI, 2 vCPUs, Nitro.
  override_data {
    target = module.case["t3_micro"].data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3.micro"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 1024
      bare_metal                           = false
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
      id                                   = "m5.24xlarge"
      maximum_network_interfaces           = 15
      maximum_ipv4_addresses_per_interface = 50
      default_vcpus                        = 96
      memory_size                          = 393216
      bare_metal                           = false
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
      id                                   = "m4.large"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 10
      default_vcpus                        = 2
      memory_size                          = 8192
      bare_metal                           = false
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
      id                                   = "p5.48xlarge"
      maximum_network_interfaces           = 64
      maximum_ipv4_addresses_per_interface = 50
      default_vcpus                        = 192
      memory_size                          = 2097152
      bare_metal                           = false
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

  # t3.nano and t3a.nano: 2 ENIs, 2 IPv4 per ENI, 2 vCPUs, 512 MiB, Nitro.
  override_data {
    target = module.case["t3_nano"].data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3.nano"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 512
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.032, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
  override_data {
    target = module.case["t3a_nano"].data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3a.nano"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 512
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.032, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
  # m5.large: 3 ENIs, 10 IPv4 per ENI, 2 vCPUs, 8192 MiB, Nitro.
  override_data {
    target = module.case["m5_large_custom_no_prefix"].data.aws_ec2_instance_type.this
    values = {
      id                                   = "m5.large"
      maximum_network_interfaces           = 3
      maximum_ipv4_addresses_per_interface = 10
      default_vcpus                        = 2
      memory_size                          = 8192
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 3, baseline_bandwidth = 0.75, peak_bandwidth = 10, performance = "Up to 10 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods.t3a_medium == 110 && output.max_pods_addressable.t3a_medium == 242
    error_message = "t3a.medium with prefixes: 3 x (5 x 16) + 2 = 242 addressable, capped at 110; got ${output.max_pods.t3a_medium} (${output.max_pods_addressable.t3a_medium})"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*?)\n--//", output.user_data.t3a_medium)[0]).spec.kubelet.config.maxPods == 110
    error_message = "the AL2023 NodeConfig for t3a.medium should set kubelet.config.maxPods = 110"
  }
  assert {
    condition     = output.max_pods.t3a_medium_without_prefixes == 17
    error_message = "t3a.medium without prefixes: 3 x (6 - 1) + 2 = 17; got ${output.max_pods.t3a_medium_without_prefixes}"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*?)\n--//", output.user_data.t3a_medium_without_prefixes)[0]).spec.kubelet.config.maxPods == 17
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
    condition     = output.max_pods.t3_nano == 4 && output.max_pods.t3a_nano == 4 && output.max_pods_addressable.t3_nano == 34
    error_message = "t3.nano/t3a.nano address 34 pods with prefixes, but 512 MiB (473 MiB seen by the kubelet) fits only 4: 11 x 4 + 255 + 100 + 64 = 463; got ${output.max_pods.t3_nano}, ${output.max_pods.t3a_nano}"
  }
  assert {
    condition     = 11 * output.max_pods.t3_nano + 355 <= 473 && output.kube_reserved.t3_nano.memory == "299Mi"
    error_message = "t3.nano's kube-reserved (${output.kube_reserved.t3_nano.memory}) plus the 100 MiB eviction threshold must fit in the 473 MiB the kubelet sees"
  }
  assert {
    condition     = output.max_pods.custom_networking == 110 && output.max_pods_addressable.custom_networking == 162
    error_message = "t3a.medium with custom networking and prefixes: (3 - 1) x (5 x 16) + 2 = 162, capped at 110; got ${output.max_pods.custom_networking} (${output.max_pods_addressable.custom_networking})"
  }
  assert {
    condition     = output.max_pods.custom_networking_no_prefix == 12 && output.max_pods.m5_large_custom_no_prefix == 20
    error_message = "custom networking without prefixes: t3a.medium (3 - 1) x 5 + 2 = 12, m5.large (3 - 1) x 9 + 2 = 20; got ${output.max_pods.custom_networking_no_prefix}, ${output.max_pods.m5_large_custom_no_prefix}"
  }
  assert {
    condition     = output.max_pods.kubelet_flag_underscore == 58 && !strcontains(output.user_data.kubelet_flag_underscore, "max_pods")
    error_message = "kubelet reads --max_pods=58 as --max-pods=58: it sets max pods and moves into the NodeConfig"
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
      id                                   = "t3.micro"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 1024
      bare_metal                           = false
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

# t4g.nano: 512 MiB, less 64 MiB of Graviton CMA and 7.5 % leaves 414 MiB: not even the base reservation fits.
run "t4g_nano_is_too_small_for_a_node" {
  command = plan

  variables {
    instance_type = "t4g.nano"
    ami_type      = "AL2023_ARM_64_STANDARD"
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      id                                   = "t4g.nano"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 512
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.032, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["arm64"]
    }
  }

  expect_failures = [aws_launch_template.this]
}

# 110 pods on a t3.nano: more than it addresses (34) and far more than its memory holds (4).
run "t3_nano_with_110_pods_is_refused" {
  command = plan

  variables {
    instance_type = "t3.nano"
    max_pods      = 110
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3.nano"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 512
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.032, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  expect_failures = [aws_launch_template.this]
}

# kubelet reads --max_pods=300 as --max-pods=300: above the 250 any node may run.
run "max_pods_with_an_underscore_is_read_as_kubelet_reads_it" {
  command = plan

  variables {
    instance_type      = "t3.micro"
    kubelet_extra_args = "--max_pods=300"
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3.micro"
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      memory_size                          = 1024
      hypervisor                           = "nitro"
      bare_metal                           = false
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.064, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  expect_failures = [var.kubelet_extra_args]
}

# pflag would read 09 as a broken octal number (and 0110 as 72).
run "max_pods_with_a_leading_zero_is_refused" {
  command = plan

  variables {
    kubelet_extra_args = "--max-pods=09"
  }

  expect_failures = [var.kubelet_extra_args]
}

# Instance data mocked without memory_size (as test suites written for 0.1.0 may have it): EC2 always gives the
# memory, so 0 means unknown, and memory then caps nothing rather than refusing every value.
run "instance_data_without_memory_caps_nothing" {
  command = plan

  variables {
    max_pods = 110
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      id                                   = "t3a.medium"
      maximum_network_interfaces           = 3
      maximum_ipv4_addresses_per_interface = 6
      default_vcpus                        = 2
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 3, baseline_bandwidth = 0.256, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 110 && length(output.warnings) == 0
    error_message = "without a memory figure, max pods should be what the instance addresses, got ${output.max_pods}"
  }
}
