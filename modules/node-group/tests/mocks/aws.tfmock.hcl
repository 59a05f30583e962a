# Mocked AWS data for the node-group tests (mock_provider "aws" { source = "./tests/mocks" }).

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

# t3a.medium, as EC2 describes it: 3 ENIs on one network card, 6 IPv4 per ENI, 2 vCPUs, Nitro.
# Tests about other instance types override it with override_data.
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
