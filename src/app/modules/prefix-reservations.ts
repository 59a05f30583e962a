import type { Construct } from "constructs";
import { validationsFor } from "../../rules/checker.js";
import { ModuleStack } from "../../terraform/module-stack.js";
import { moduleSource } from "../release.js";
import { testingSection } from "./testing.js";
import { DEFAULT_RESERVATION_DESCRIPTION, PrefixReservations } from "../../constructs/prefix-reservations.js";
import { PREFIX_LENGTH, PREFIX_RESERVATION_RULES } from "../../constructs/prefix-reservation-rules.js";

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
        `  source = "${moduleSource("prefix-reservations")}"`,
        "",
        "  reservations = [",
        '    { subnet_id = "subnet-0a1b2c3d4e5f60001", cidr_block = "10.0.8.0/22" },',
        '    { subnet_id = "subnet-0a1b2c3d4e5f60002", cidr_block = "10.0.24.0/22" },',
        "  ]",
        "}",
      ].join("\n"),
      testing: testingSection({
        module: "prefix-reservations",
        call: "prefix_reservations",
        answers: [
          "It answers what this module reads: every subnet as the /20 `10.0.0.0/20` (of `vpc-0123456789abcdef0`), so",
          "reservations inside it plan and others are refused with the subnet's CIDR named.",
        ].join("\n"),
        overrides: [
          {
            address: 'data.aws_subnet.this["<subnet id>"]',
            what: "One subnet's CIDR block (`cidr_block`), by subnet ID: give subnets outside `10.0.0.0/20` their own.",
          },
        ],
        afterApply: ["reservation_ids"],
        example: [
          "# The root module reserves the blocks of Usage above; the second subnet is 10.0.16.0/20.",
          'run "blocks_reserved_for_prefixes" {',
          "  command = apply",
          "",
          "  override_data {",
          '    target = module.prefix_reservations.data.aws_subnet.this["subnet-0a1b2c3d4e5f60002"]',
          '    values = { cidr_block = "10.0.16.0/20" }',
          "  }",
          "",
          "  assert {",
          '    condition     = length(module.prefix_reservations.reservation_ids) == 2 && alltrue([for id in values(module.prefix_reservations.reservation_ids) : startswith(id, "scr-")])',
          '    error_message = "both blocks should be reserved, got ${jsonencode(module.prefix_reservations.reservation_ids)}"',
          "  }",
          "}",
        ].join("\n"),
      }),
      validations: (input) => validationsFor(PREFIX_RESERVATION_RULES, input),
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
