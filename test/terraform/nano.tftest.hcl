# test/terraform/environments/nano.yaml synthesized and planned: max pods is what 512 MiB holds.

mock_provider "aws" {
  source = "../modules/node-group/mocks"
}

run "t3_nano_gets_what_its_memory_holds" {
  command = plan

  module {
    source = "../cdktf.out/stacks/nano"
  }

  # t3.nano, as EC2 describes it: 2 ENIs, 2 IPv4 per ENI, 2 vCPUs, 512 MiB, Nitro.
  override_data {
    target = data.aws_ec2_instance_type.node_group
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

  assert {
    condition     = output.max_pods == 4
    error_message = "t3.nano with prefixes addresses 34 pods, but 473 MiB seen by the kubelet hold 4: got ${output.max_pods}"
  }
  assert {
    condition     = output.kube_reserved == tomap({ cpu = "70m", "ephemeral-storage" = "2Gi", memory = "299Mi" })
    error_message = "kube-reserved should be sized for 4 pods, with the environment's ephemeral-storage: got ${jsonencode(output.kube_reserved)}"
  }
  assert {
    condition     = strcontains(output.node_user_data, "max-pods = 4\n") && strcontains(output.node_user_data, "[settings.kubernetes.kube-reserved]\ncpu = \"70m\"\nephemeral-storage = \"2Gi\"\nmemory = \"299Mi\"\n")
    error_message = "the Bottlerocket settings should carry max-pods 4 and the whole merged kube-reserved"
  }
  assert {
    condition     = [for m in aws_launch_template.node_group.block_device_mappings : m.ebs[0].volume_size if m.device_name == "/dev/xvdb"] == [30]
    error_message = "the environment's root_volume_size should size Bottlerocket's data volume"
  }
  assert {
    condition     = length(output.warnings) == 2 && strcontains(output.warnings[1], "max pods is 4, what its memory holds; the node could address 34 pods")
    error_message = "a memory-capped max pods should come with a note, got ${jsonencode(output.warnings)}"
  }
  assert {
    condition     = startswith(output.warnings[0], "launch_readiness_gate: Bottlerocket nodes cannot complete the launching lifecycle hook")
    error_message = "a Bottlerocket group should be told it has no readiness gate, got ${jsonencode(output.warnings)}"
  }
}
