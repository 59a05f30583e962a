# Prefix reservations: aligned /28-or-larger blocks inside their subnets, checked before apply.

# The shipped mocks answer every subnet as a /20 (10.0.0.0/20), like the article's private subnets.
mock_provider "aws" {
  source = "./mocks"
}

run "blocks_inside_their_subnets_are_reserved_for_prefixes" {
  command = plan

  variables {
    reservations = [
      { subnet_id = "subnet-0a1b2c3d4e5f60001", cidr_block = "10.0.8.0/22" },
      { subnet_id = "subnet-0a1b2c3d4e5f60002", cidr_block = "10.0.15.240/28", description = "one prefix" },
    ]
  }

  assert {
    condition     = length(aws_ec2_subnet_cidr_reservation.this) == 2 && alltrue([for r in aws_ec2_subnet_cidr_reservation.this : r.reservation_type == "prefix"])
    error_message = "each block should become a reservation of type prefix"
  }
  assert {
    condition     = aws_ec2_subnet_cidr_reservation.this["subnet-0a1b2c3d4e5f60001 10.0.8.0/22"].description == "Reserved for VPC CNI prefix delegation" && aws_ec2_subnet_cidr_reservation.this["subnet-0a1b2c3d4e5f60002 10.0.15.240/28"].description == "one prefix"
    error_message = "reservations should be keyed by subnet and block, with the default or given description"
  }
}

run "a_block_outside_its_subnet_is_refused_before_apply" {
  command = plan

  variables {
    reservations = [{ subnet_id = "subnet-0a1b2c3d4e5f60001", cidr_block = "10.0.16.0/24" }]
  }

  # "reservations: cidr_block 10.0.16.0/24 is not inside subnet subnet-0a1b2c3d4e5f60001 (10.0.0.0/20)."
  expect_failures = [aws_ec2_subnet_cidr_reservation.this]
}

run "a_block_not_aligned_to_28_is_refused" {
  command = plan

  variables {
    reservations = [{ subnet_id = "subnet-0a1b2c3d4e5f60001", cidr_block = "10.0.8.4/28" }]
  }

  # "reservations: every cidr_block must be an IPv4 CIDR of /28 or larger that starts on its own boundary..."
  expect_failures = [var.reservations]
}
