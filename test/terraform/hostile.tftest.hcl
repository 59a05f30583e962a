# test/terraform/environments/hostile.yaml synthesized and planned: configuration is data, never Terraform code.

mock_provider "aws" {
  source = "../modules/node-group/mocks"
}

run "terraform_syntax_in_the_file_is_kept_as_text" {
  command = plan

  module {
    source = "../cdktf.out/stacks/hostile"
  }

  assert {
    condition     = aws_ec2_subnet_cidr_reservation.prefix_reservations["subnet-0a1b2c3d4e5f60001 10.0.8.0/22"].description == "$${file(\"/etc/hostname\")} %%{ if true }directive%%{ endif }"
    error_message = "the description should plan as the literal text the file holds, not as a file() call or a template directive"
  }
}
