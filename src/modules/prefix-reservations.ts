import type { Construct } from "constructs";
import { ModuleStack } from "../module-stack.js";
import { DEFAULT_RESERVATION_DESCRIPTION, PrefixReservations } from "../prefix-reservations.js";
import { PREFIX_LENGTH, PREFIX_RESERVATION_RULES } from "../prefix-reservation-rules.js";

/** `modules/prefix-reservations`: the PrefixReservations construct behind Terraform variables and outputs. */
export class PrefixReservationsModule extends ModuleStack {
  constructor(scope: Construct) {
    super(scope, "prefix-reservations", {
      summary: "Subnet CIDR reservations of type `prefix`, so VPC CNI prefix delegation always finds free /28 blocks.",
      details: [
        `With prefix delegation each node takes whole /${PREFIX_LENGTH} blocks (16 addresses) from its subnet. When other ENIs have`,
        "scattered single addresses over the subnet, no contiguous /28 may be left and pods fail to start with",
        "`InsufficientCidrBlocks` even though the subnet has free addresses (the article's /20 subnets had room to spare).",
        "AWS's remedy is a subnet CIDR reservation of type `prefix`: EC2 then hands the reserved range out only as",
        "prefixes.",
        "",
        `Each \`cidr_block\` must be /${PREFIX_LENGTH} or larger and start on its own boundary (whole prefixes; checked on the`,
        "variable), and lie inside its subnet (checked against the subnet's CIDR before apply). Reservations are keyed by",
        '`"<subnet_id> <cidr_block>"`, so adding or removing one leaves the others alone.',
      ].join("\n"),
      usage: [
        'module "prefix_reservations" {',
        '  source = "./modules/prefix-reservations"',
        "",
        "  reservations = [",
        '    { subnet_id = "subnet-0a1b2c3d4e5f60001", cidr_block = "10.0.8.0/22" },',
        '    { subnet_id = "subnet-0a1b2c3d4e5f60002", cidr_block = "10.0.24.0/22" },',
        "  ]",
        "}",
      ].join("\n"),
      rules: PREFIX_RESERVATION_RULES,
    });

    const reservations = this.variable("reservations", {
      type: `list(object({ subnet_id = string, cidr_block = string, description = optional(string, ${JSON.stringify(DEFAULT_RESERVATION_DESCRIPTION)}) }))`,
      description: `Blocks to reserve for prefixes: subnet_id, cidr_block (/${PREFIX_LENGTH} or larger, aligned, inside the subnet) and an optional description.`,
      default: [],
    });

    const construct = new PrefixReservations(this, "this", { reservations: reservations.value });

    this.output("reservation_ids", {
      value: construct.reservationIds,
      description: 'IDs of the reservations, by "<subnet_id> <cidr_block>".',
    });
  }
}
