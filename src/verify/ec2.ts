/**
 * What `verify` reads from EC2 (read-only calls): the node group's running
 * instances, their instance types' limits, and for each node subnet what is
 * in use — interface addresses, assigned prefixes and CIDR reservations.
 */
import type { EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import { instanceNetworkLimits } from "../ec2-instance-limits.js";
import type { InstanceNetworkLimits } from "../max-pods.js";
import { AccessError, VerifyError } from "./errors.js";
import type { ReservationType, SubnetAddressUse } from "./subnet-blocks.js";

/** Tag EC2 Auto Scaling puts on the instances it launches, naming their group. */
export const AUTO_SCALING_GROUP_TAG = "aws:autoscaling:groupName";

/** A running instance of the node group. */
export interface GroupInstance {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly autoScalingGroup: string;
}

/** A node subnet and what is in use in it. */
export interface SubnetState {
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly use: SubnetAddressUse;
  /** /28 prefixes each instance's interfaces hold in this subnet. */
  readonly prefixesByInstance: ReadonlyMap<string, number>;
  /** Interfaces each instance has attached in this subnet (each with a primary address outside any prefix). */
  readonly interfacesByInstance: ReadonlyMap<string, number>;
}

export interface Ec2Reader {
  /** Running instances carrying the node group's Name tag, launched by an Auto Scaling group. */
  groupInstances(nameTag: string): Promise<GroupInstance[]>;
  /** Limits of each instance type (DescribeInstanceTypes). */
  instanceLimits(instanceTypes: readonly string[]): Promise<Map<string, InstanceNetworkLimits>>;
  /** The availability zone of each subnet (DescribeSubnets). */
  zones(subnetIds: readonly string[]): Promise<Map<string, string>>;
  /** The subnets with their interfaces and reservations, in the order given. */
  subnets(subnetIds: readonly string[]): Promise<SubnetState[]>;
}

/** EC2 error names that mean the caller may not make the call. */
const REFUSALS = new Set([
  "UnauthorizedOperation",
  "AccessDenied",
  "AccessDeniedException",
  "AuthFailure",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "ExpiredToken",
  "RequestExpired",
  "CredentialsProviderError",
]);

/** A failed EC2 call as a one-line error naming the API. */
function ec2Error(api: string, error: unknown): VerifyError {
  const { name, message } = error as Error;
  // EC2 appends a long encoded blob to authorization failures; the decoded reason is in the sentence before it.
  const reason = String(message).split("\n")[0]!.replace(/\s*Encoded authorization failure message:.*$/, "");
  if (name === "CredentialsProviderError") {
    return new AccessError(`no AWS credentials for EC2 ${api}: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`, true);
  }
  if (REFUSALS.has(name)) return new AccessError(`EC2 ${api} refused (${name}): ${reason}`, true);
  if (name === "InvalidSubnetID.NotFound" || name === "InvalidSubnetID.Malformed") return new VerifyError(`EC2 ${api}: ${reason} (check subnet_ids)`);
  return new AccessError(`EC2 ${api} failed: ${name}: ${reason}`, false);
}

/** Read EC2 with `client`. */
export function ec2Reader(client: EC2Client): Ec2Reader {
  const sdk = import("@aws-sdk/client-ec2");
  const call = async <T>(api: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw ec2Error(api, error);
    }
  };
  /** Every page of a NextToken-paged call. */
  const pages = async <T extends { NextToken?: string | undefined }>(api: string, page: (token: string | undefined) => Promise<T>) => {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const response: T = await call(api, () => page(token));
      all.push(response);
      token = response.NextToken;
    } while (token);
    return all;
  };

  return {
    async groupInstances(nameTag) {
      const { DescribeInstancesCommand } = await sdk;
      const responses = await pages("DescribeInstances", (NextToken) =>
        client.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: "tag:Name", Values: [nameTag] },
              { Name: "tag-key", Values: [AUTO_SCALING_GROUP_TAG] },
              { Name: "instance-state-name", Values: ["running"] },
            ],
            NextToken,
          }),
        ),
      );
      return responses
        .flatMap((response) => response.Reservations ?? [])
        .flatMap((reservation) => reservation.Instances ?? [])
        .map((instance) => ({
          instanceId: instance.InstanceId ?? "",
          instanceType: instance.InstanceType ?? "",
          subnetId: instance.SubnetId ?? "",
          availabilityZone: instance.Placement?.AvailabilityZone ?? "",
          autoScalingGroup: instance.Tags?.find((tag) => tag.Key === AUTO_SCALING_GROUP_TAG)?.Value ?? "",
        }))
        .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    },

    async instanceLimits(instanceTypes) {
      const { DescribeInstanceTypesCommand } = await sdk;
      const limits = new Map<string, InstanceNetworkLimits>();
      if (instanceTypes.length === 0) return limits;
      const response = await call("DescribeInstanceTypes", () =>
        client.send(new DescribeInstanceTypesCommand({ InstanceTypes: [...instanceTypes] as _InstanceType[] })),
      );
      for (const info of response.InstanceTypes ?? []) {
        const found = instanceNetworkLimits(info);
        if (info.InstanceType && found) limits.set(info.InstanceType, found);
      }
      const missing = instanceTypes.filter((type) => !limits.has(type));
      if (missing.length > 0) throw new VerifyError(`EC2 DescribeInstanceTypes returned no network limits for ${missing.join(", ")}`);
      return limits;
    },

    async zones(subnetIds) {
      const { DescribeSubnetsCommand } = await sdk;
      const described = await call("DescribeSubnets", () => client.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] })));
      return new Map((described.Subnets ?? []).map((subnet) => [subnet.SubnetId ?? "", subnet.AvailabilityZone ?? ""]));
    },

    async subnets(subnetIds) {
      const { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, GetSubnetCidrReservationsCommand } = await sdk;
      const described = await call("DescribeSubnets", () => client.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] })));
      const interfaces = (
        await pages("DescribeNetworkInterfaces", (NextToken) =>
          client.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [...subnetIds] }], NextToken })),
        )
      ).flatMap((response) => response.NetworkInterfaces ?? []);

      const states: SubnetState[] = [];
      for (const subnetId of subnetIds) {
        const subnet = described.Subnets?.find((candidate) => candidate.SubnetId === subnetId);
        if (!subnet?.CidrBlock) throw new VerifyError(`EC2 DescribeSubnets returned no IPv4 CIDR block for ${subnetId}`);
        const reservations = (
          await pages("GetSubnetCidrReservations", (NextToken) =>
            client.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId, NextToken })),
          )
        ).flatMap((response) => response.SubnetIpv4CidrReservations ?? []);
        const own = interfaces.filter((eni) => eni.SubnetId === subnetId);
        const prefixesByInstance = new Map<string, number>();
        const interfacesByInstance = new Map<string, number>();
        for (const eni of own) {
          const instance = eni.Attachment?.InstanceId;
          if (!instance) continue;
          prefixesByInstance.set(instance, (prefixesByInstance.get(instance) ?? 0) + (eni.Ipv4Prefixes?.length ?? 0));
          interfacesByInstance.set(instance, (interfacesByInstance.get(instance) ?? 0) + 1);
        }
        states.push({
          subnetId,
          availabilityZone: subnet.AvailabilityZone ?? "",
          use: {
            cidr: subnet.CidrBlock,
            addresses: own.flatMap((eni) => (eni.PrivateIpAddresses ?? []).map((address) => address.PrivateIpAddress ?? "")).filter(Boolean),
            prefixes: own.flatMap((eni) => (eni.Ipv4Prefixes ?? []).map((prefix) => prefix.Ipv4Prefix ?? "")).filter(Boolean),
            reservations: reservations
              .filter((reservation) => reservation.Cidr)
              .map((reservation) => ({ cidr: reservation.Cidr!, type: (reservation.ReservationType ?? "explicit") as ReservationType })),
          },
          prefixesByInstance,
          interfacesByInstance,
        });
      }
      return states;
    },
  };
}
