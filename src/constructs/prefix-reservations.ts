import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet/index.js";
import { Ec2SubnetCidrReservation } from "@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation/index.js";
import { TerraformIterator, Token, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { addLocal, expr, hcl, isUnresolved } from "../terraform/hcl.js";
import { PREFIX_RESERVATION_RULES, type ReservationInput } from "./prefix-reservation-rules.js";
import { checkResolved } from "../rules/checker.js";

export interface PrefixReservation {
  /** Subnet to reserve in. */
  readonly subnetId: string;
  /** A /28 or larger block inside the subnet, starting on its own boundary. */
  readonly cidrBlock: string;
  /**
   * Shown in the EC2 console.
   * @default "Reserved for VPC CNI prefix delegation"
   */
  readonly description?: string;
}

export const DEFAULT_RESERVATION_DESCRIPTION = "Reserved for VPC CNI prefix delegation";

export interface PrefixReservationsProps {
  /**
   * Blocks to reserve for prefixes, or (in a module) a Terraform list of
   * `{ subnet_id, cidr_block, description }` objects.
   */
  readonly reservations: PrefixReservation[] | IResolvable;
}

/**
 * Subnet CIDR reservations of type `prefix`: EC2 hands the reserved blocks
 * out only as /28 prefixes, so a subnet shared with other ENIs keeps
 * contiguous room for the VPC CNI (fragmented subnets fail pod start-up with
 * InsufficientCidrBlocks). Each block is checked to lie inside its subnet
 * before apply.
 */
export class PrefixReservations extends Construct {
  public readonly reservation: Ec2SubnetCidrReservation;
  /** Reservation IDs by `"<subnet_id> <cidr_block>"`. */
  public readonly reservationIds: IResolvable;

  constructor(scope: Construct, id: string, props: PrefixReservationsProps) {
    super(scope, id);
    const reservations = isUnresolved(props.reservations)
      ? props.reservations
      : (props.reservations as PrefixReservation[]).map(
          (r): ReservationInput => ({
            subnet_id: r.subnetId,
            cidr_block: r.cidrBlock,
            description: r.description ?? DEFAULT_RESERVATION_DESCRIPTION,
          }),
        );
    checkResolved(this.node.path, { reservations }, PREFIX_RESERVATION_RULES, [], ["subnet_id", "cidr_block", "description"]);
    const list = hcl(this, reservations);
    const local = (localId: string, expression: string) => addLocal(this, localId, expression);

    const byKey = local("reservations", `{ for r in ${list} : "\${r.subnet_id} \${r.cidr_block}" => r }`);
    const subnetIds = TerraformIterator.fromMap(
      Token.asAnyMap(expr(local("reservation_subnet_ids", `{ for subnet_id in distinct([for r in ${list} : r.subnet_id]) : subnet_id => subnet_id }`))),
    );
    const subnets = new DataAwsSubnet(this, "subnet:this", { forEach: subnetIds, id: subnetIds.value });
    const subnetCidr = `${hcl(this, subnets.fqn)}[each.value.subnet_id].cidr_block`;
    const entries = TerraformIterator.fromMap(Token.asAnyMap(expr(byKey)));

    this.reservation = new Ec2SubnetCidrReservation(this, "reservation:this", {
      forEach: entries,
      subnetId: entries.getString("subnet_id"),
      cidrBlock: entries.getString("cidr_block"),
      description: entries.getString("description"),
      reservationType: "prefix",
      lifecycle: {
        precondition: [
          {
            condition: expr(
              `tonumber(split("/", each.value.cidr_block)[1]) >= tonumber(split("/", ${subnetCidr})[1]) && cidrhost(format("%s/%s", split("/", each.value.cidr_block)[0], split("/", ${subnetCidr})[1]), 0) == cidrhost(${subnetCidr}, 0)`,
            ),
            errorMessage: `reservations: cidr_block \${each.value.cidr_block} is not inside subnet \${each.value.subnet_id} (\${${subnetCidr}}).`,
          },
        ],
      },
    });
    this.reservationIds = Token.asAny(expr(`{ for key, reservation in ${hcl(this, this.reservation.fqn)} : key => reservation.id }`));
  }
}
