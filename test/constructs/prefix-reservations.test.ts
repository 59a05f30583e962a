import { describe, expect, it } from "vitest";
import { PrefixReservations } from "../../src/constructs/prefix-reservations.js";
import { isAlignedPrefixBlock } from "../../src/constructs/prefix-reservation-rules.js";
import { synth, testStack } from "../support/stacks.js";

describe("PrefixReservations", () => {
  // GIVEN two blocks WHEN synthesized
  const stack = testStack();
  new PrefixReservations(stack, "prefix_reservations", {
    reservations: [
      { subnetId: "subnet-0a1b2c3d4e5f60001", cidrBlock: "10.0.8.0/22" },
      { subnetId: "subnet-0a1b2c3d4e5f60002", cidrBlock: "10.0.24.0/22", description: "nodes b" },
    ],
  });
  const tf = synth(stack);

  it("matches the snapshot", () => {
    expect(tf).toMatchSnapshot();
  });

  it("reserves each block for prefixes, keyed by subnet and block", () => {
    const reservation = tf.resource.aws_ec2_subnet_cidr_reservation.prefix_reservations;
    expect(reservation).toMatchObject({
      for_each: "${local.prefix_reservations_reservations}",
      reservation_type: "prefix",
      subnet_id: "${each.value.subnet_id}",
      cidr_block: "${each.value.cidr_block}",
    });
    expect(tf.locals.prefix_reservations_reservations).toBe(
      '${{ for r in [{ "subnet_id" = "subnet-0a1b2c3d4e5f60001", "cidr_block" = "10.0.8.0/22", "description" = "Reserved for VPC CNI prefix delegation" }, { "subnet_id" = "subnet-0a1b2c3d4e5f60002", "cidr_block" = "10.0.24.0/22", "description" = "nodes b" }] : "${r.subnet_id} ${r.cidr_block}" => r }}',
    );
  });

  it("checks before apply that each block lies inside its subnet", () => {
    const [precondition] = tf.resource.aws_ec2_subnet_cidr_reservation.prefix_reservations.lifecycle.precondition;
    expect(precondition.error_message).toBe(
      "reservations: cidr_block ${each.value.cidr_block} is not inside subnet ${each.value.subnet_id} (${data.aws_subnet.prefix_reservations[each.value.subnet_id].cidr_block}).",
    );
  });

  it.each([
    ["10.0.8.0/22", true],
    ["10.0.15.240/28", true],
    ["10.0.8.4/28", false],
    ["10.0.8.0/29", false],
    ["10.0.8.0", false],
    ["300.0.0.0/24", false],
  ])("%s is an aligned block of whole /28 prefixes: %s", (cidr, aligned) => {
    expect(isAlignedPrefixBlock(cidr)).toBe(aligned);
  });

  it("refuses a block off its boundary at synth time", () => {
    expect(
      () => new PrefixReservations(testStack(), "r", { reservations: [{ subnetId: "subnet-0a1b2c3d4e5f60001", cidrBlock: "10.0.8.4/28" }] }),
    ).toThrow("test/r: reservations: every cidrBlock (cidr_block) must be an IPv4 CIDR of /28 or larger that starts on its own boundary");
  });
});
