# Effective max pods: explicit -> --max-pods=N in kubelet_extra_args -> automatic
# from the instance type's EC2 data (mocked here with AWS's published limits).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  # t3a.medium: 3 ENIs, 6 IPv4 per ENI, 2 vCPUs, Nitro.
  mock_data "aws_ec2_instance_type" {
    defaults = {
      maximum_network_interfaces           = 3
      maximum_ipv4_addresses_per_interface = 6
      default_vcpus                        = 2
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 3, baseline_bandwidth = 0.256, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
}

run "t3a_medium_al2023_automatic_with_prefixes_is_110" {
  command = plan

  variables {
    ami_type                 = "AL2023_x86_64_STANDARD"
    enable_prefix_delegation = true
  }

  assert {
    condition     = output.max_pods == 110
    error_message = "t3a.medium with prefixes should get 110 pods (242 addressable, capped at 110), got ${output.max_pods}"
  }
  assert {
    condition     = output.max_pods_addressable == 242
    error_message = "t3a.medium with prefixes addresses 3 x (5 x 16) + 2 = 242 pods, got ${output.max_pods_addressable}"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*)\n--//--", output.user_data)[0]).spec.kubelet.config.maxPods == 110
    error_message = "the nodeadm NodeConfig should set kubelet.config.maxPods = 110"
  }
}

run "t3a_medium_without_prefixes_is_17" {
  command = plan

  variables {
    enable_prefix_delegation = false
  }

  assert {
    condition     = output.max_pods == 17
    error_message = "t3a.medium without prefixes should get 3 x (6 - 1) + 2 = 17 pods, got ${output.max_pods}"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*)\n--//--", output.user_data)[0]).spec.kubelet.config.maxPods == 17
    error_message = "the nodeadm NodeConfig should set kubelet.config.maxPods = 17"
  }
}

run "t3_micro_with_prefixes_is_34" {
  command = plan

  variables {
    instance_type = "t3.micro"
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 2
      default_vcpus                        = 2
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.064, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 34
    error_message = "t3.micro with prefixes should get 2 x (1 x 16) + 2 = 34 pods, got ${output.max_pods}"
  }
}

run "m5_24xlarge_is_capped_at_250" {
  command = plan

  variables {
    instance_type = "m5.24xlarge"
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 15
      maximum_ipv4_addresses_per_interface = 50
      default_vcpus                        = 96
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 15, baseline_bandwidth = 25, peak_bandwidth = 25, performance = "25 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 250
    error_message = "m5.24xlarge (96 vCPUs) should be capped at 250, got ${output.max_pods}"
  }
}

run "m4_large_on_xen_ignores_prefixes_and_is_20" {
  command = plan

  variables {
    instance_type            = "m4.large"
    enable_prefix_delegation = true
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 2
      maximum_ipv4_addresses_per_interface = 10
      default_vcpus                        = 2
      hypervisor                           = "xen"
      default_network_card_index           = 0
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.45, peak_bandwidth = 0.45, performance = "Moderate" }]
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 20
    error_message = "m4.large is Xen: prefixes do not apply, 2 x (10 - 1) + 2 = 20, got ${output.max_pods}"
  }
}

run "p5_48xlarge_counts_only_the_default_network_card" {
  command = plan

  variables {
    instance_type            = "p5.48xlarge"
    enable_prefix_delegation = false
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      maximum_network_interfaces           = 64
      maximum_ipv4_addresses_per_interface = 50
      default_vcpus                        = 192
      hypervisor                           = "nitro"
      default_network_card_index           = 0
      # 32 network cards with 2 ENIs each; only card 0 (the default) carries pod IPs.
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
      supported_architectures              = ["x86_64"]
    }
  }

  assert {
    condition     = output.max_pods == 100
    error_message = "p5.48xlarge's default card has 2 ENIs: 2 x (50 - 1) + 2 = 100, got ${output.max_pods}"
  }
}

run "explicit_max_pods_wins" {
  command = plan

  variables {
    max_pods = 58
  }

  assert {
    condition     = output.max_pods == 58
    error_message = "an explicit max_pods should be used as given, got ${output.max_pods}"
  }
}

run "kubelet_flag_comes_before_automatic" {
  command = plan

  variables {
    kubelet_extra_args = "--node-labels=role=worker --max-pods=64"
  }

  assert {
    condition     = output.max_pods == 64
    error_message = "--max-pods=64 in kubelet_extra_args should set max pods, got ${output.max_pods}"
  }
  assert {
    condition     = !strcontains(output.user_data, "--max-pods")
    error_message = "on AL2023 the flag moves into kubelet.config.maxPods and leaves kubelet.flags"
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
      network_cards                        = [{ index = 0, maximum_interfaces = 2, baseline_bandwidth = 0.064, peak_bandwidth = 5, performance = "Up to 5 Gigabit" }]
      supported_architectures              = ["x86_64"]
    }
  }

  # The precondition's message starts "max_pods (or --max-pods=N in kubelet_extra_args) asks for 110 pods,
  # but instance_type t3.micro can give only 34 pods an IP address".
  expect_failures = [aws_launch_template.this]
}
