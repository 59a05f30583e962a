/**
 * What `verify` reads from EC2 (read-only calls): the node group's running
 * instances, their instance types' limits, and for each node subnet what is
 * in use — interface addresses, assigned prefixes and CIDR reservations.
 */
import type { EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import { instanceNetworkLimits } from "../rules/ec2-instance-limits.js";
import type { InstanceNetworkLimits } from "../rules/max-pods.js";
import { SUBNET_ID_PATTERN } from "../constructs/node-group/rules.js";
import { AccessError, VerifyError } from "./errors.js";
import { parseCidr, parseIpv4, type ReservationType, type SubnetAddressUse } from "./subnet-blocks.js";
import { seconds, withDeadline } from "./timeout.js";

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
  /** Which of these subnet ids EC2 has (DescribeSubnets with a filter, which does not fail on ids it lacks). */
  existingSubnets(subnetIds: readonly string[]): Promise<Set<string>>;
}

/** A subnet id as EC2 writes them (the node group's subnet_ids rule). */
export const isSubnetId = (id: string) => new RegExp(SUBNET_ID_PATTERN).test(id);

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

/** Items per page of a paged call (EC2's maximum for the calls verify pages), and how many pages verify reads at most. */
export const PAGE_SIZE = 1000;
export const MAX_PAGES = 100;

/**
 * IPv4 subnet sizes a VPC allows: /16 to /28 (Amazon VPC user guide, "Subnet CIDR blocks"). Anything else in an
 * answer is not EC2's; a /0 would also make the /28 count allocate for 2^28 blocks.
 */
export const SUBNET_PREFIX_LENGTHS = [16, 28] as const;

/** EC2 answered something that is not one of its XML answers (an HTML page, an empty body). */
class NotEc2Answer extends AccessError {
  constructor(message: string) {
    super(message, false);
  }
}

/**
 * Middleware for the client (the SDK's own middleware stack), placed between
 * its HTTP handler and its deserializer: an answer that is not EC2's XML is
 * refused with its HTTP status. Without it the SDK reads an HTML page or an
 * empty body as an answer with nothing in it (no instances, no subnets).
 */
function checkAnswers(client: EC2Client): void {
  const name = "eksPodDensityEc2AnswerCheck";
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(name))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown };
      const api = String(context.commandName ?? "").replace(/Command$/, "") || "call";
      const body = response.body;
      if (body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array) return result;
      const chunks: Buffer[] = [];
      for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
      const bytes = Buffer.concat(chunks);
      response.body = bytes;
      const status = `HTTP ${response.statusCode ?? "?"}`;
      const text = bytes.toString("utf8", 0, Math.min(bytes.length, 512)).replace(/^\uFEFF/, "").trimStart();
      const contentType = response.headers?.["content-type"] ?? "";
      if (text === "") throw new NotEc2Answer(`EC2 ${api} answered ${status} with an empty body, not EC2's XML`);
      if (/html/i.test(contentType) || /^<(!doctype\s+html|html)\b/i.test(text)) {
        throw new NotEc2Answer(`EC2 ${api} answered ${status} with an HTML page, not EC2's XML: is a proxy between verify and EC2?`);
      }
      if (!text.startsWith("<")) {
        throw new NotEc2Answer(`EC2 ${api} answered ${status} with ${contentType || "a body without a content type"} that is not EC2's XML`);
      }
      return result;
    },
    { step: "deserialize", name, priority: "low" },
  );
}

/** What EC2 answered about a subnet, checked before the /28 count reads it: every CIDR block and address must parse. */
function checkSubnetUse(subnetId: string, use: SubnetAddressUse): void {
  const refuse = (what: string, value: string, why: string) => {
    throw new AccessError(`EC2 answered ${what} ${JSON.stringify(value)} for ${subnetId}: ${why}`, false);
  };
  let length = Number.NaN;
  try {
    parseCidr(use.cidr);
    length = Number(use.cidr.split("/")[1]);
  } catch {
    refuse("the CIDR block", use.cidr, "not an IPv4 CIDR block");
  }
  if (length < SUBNET_PREFIX_LENGTHS[0] || length > SUBNET_PREFIX_LENGTHS[1]) {
    refuse("the CIDR block", use.cidr, `a VPC subnet is /${SUBNET_PREFIX_LENGTHS[0]} to /${SUBNET_PREFIX_LENGTHS[1]}, so this is no subnet EC2 has`);
  }
  for (const address of use.addresses) {
    try {
      parseIpv4(address);
    } catch {
      refuse("the interface address", address, "not an IPv4 address");
    }
  }
  for (const cidr of [...use.prefixes, ...use.reservations.map((reservation) => reservation.cidr)]) {
    try {
      parseCidr(cidr);
    } catch {
      refuse("the prefix or reservation", cidr, "not an IPv4 CIDR block");
    }
  }
}

/** A failed EC2 call as a one-line error naming the API. */
function ec2Error(api: string, error: unknown): VerifyError {
  if (error instanceof VerifyError) return error;
  const { name, message } = error as Error;
  // EC2 appends a long encoded blob to authorization failures; the decoded reason is in the sentence before it.
  const reason = String(message).split("\n")[0]!.replace(/\s*Encoded authorization failure message:.*$/, "");
  if (name === "CredentialsProviderError") {
    return new AccessError(`no AWS credentials for EC2 ${api}: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`, true);
  }
  if (REFUSALS.has(name)) return new AccessError(`EC2 ${api} refused (${name}): ${reason}`, true);
  if (name === "InvalidSubnetID.NotFound" || name === "InvalidSubnetID.Malformed") return new VerifyError(`EC2 ${api}: ${reason} (check subnet_ids)`);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return new AccessError(`EC2 ${api} failed${status ? ` (HTTP ${status})` : ""}: ${name}: ${reason}`, false);
}

/** Read EC2 with `client`; each request may take `timeoutMs` milliseconds (the SDK's abortSignal), retries included. */
export function ec2Reader(client: EC2Client, { timeoutMs }: { readonly timeoutMs: number }): Ec2Reader {
  const sdk = import("@aws-sdk/client-ec2");
  checkAnswers(client);
  const call = async <T>(api: string, request: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> => {
    const abortSignal = AbortSignal.timeout(timeoutMs);
    try {
      return await withDeadline(abortSignal, request({ abortSignal }));
    } catch (error) {
      if (abortSignal.aborted) throw new AccessError(`EC2 ${api} did not answer within ${seconds(timeoutMs)} (raise --timeout if it is only slow)`, false);
      throw ec2Error(api, error);
    }
  };
  /**
   * Every page of a NextToken-paged call, PAGE_SIZE items a page. An answer
   * that repeats a NextToken would page forever; one still paging after
   * MAX_PAGES pages is more than any subnet holds: both stop the run.
   */
  const pages = async <T extends { NextToken?: string | undefined }>(
    api: string,
    page: (token: string | undefined, options: { abortSignal: AbortSignal }) => Promise<T>,
  ) => {
    const all: T[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const response: T = await call(api, (options) => page(token, options));
      all.push(response);
      token = response.NextToken || undefined;
      if (token === undefined) return all;
      if (seen.has(token)) {
        throw new AccessError(`EC2 ${api} answered a NextToken it had answered before (after ${all.length} pages): verify stopped paging`, false);
      }
      if (all.length >= MAX_PAGES) {
        throw new AccessError(`EC2 ${api} still had more after ${MAX_PAGES} pages of ${PAGE_SIZE}: verify stopped paging`, false);
      }
      seen.add(token);
    }
  };

  return {
    async groupInstances(nameTag) {
      const { DescribeInstancesCommand } = await sdk;
      const responses = await pages("DescribeInstances", (NextToken, options) =>
        client.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: "tag:Name", Values: [nameTag] },
              { Name: "tag-key", Values: [AUTO_SCALING_GROUP_TAG] },
              { Name: "instance-state-name", Values: ["running"] },
            ],
            MaxResults: PAGE_SIZE,
            NextToken,
          }),
          options,
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
      const response = await call("DescribeInstanceTypes", (options) =>
        client.send(new DescribeInstanceTypesCommand({ InstanceTypes: [...instanceTypes] as _InstanceType[] }), options),
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
      const described = await call("DescribeSubnets", (options) => client.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] }), options));
      return new Map((described.Subnets ?? []).map((subnet) => [subnet.SubnetId ?? "", subnet.AvailabilityZone ?? ""]));
    },

    async existingSubnets(subnetIds) {
      if (subnetIds.length === 0) return new Set();
      const { DescribeSubnetsCommand } = await sdk;
      const responses = await pages("DescribeSubnets", (NextToken, options) =>
        client.send(new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [...subnetIds] }], MaxResults: PAGE_SIZE, NextToken }), options),
      );
      const described = new Set(responses.flatMap((response) => response.Subnets ?? []).map((subnet) => subnet.SubnetId ?? ""));
      return new Set(subnetIds.filter((id) => described.has(id)));
    },

    async subnets(subnetIds) {
      const { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, GetSubnetCidrReservationsCommand } = await sdk;
      const described = await call("DescribeSubnets", (options) => client.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] }), options));
      const interfaces = (
        await pages("DescribeNetworkInterfaces", (NextToken, options) =>
          client.send(
            new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [...subnetIds] }], MaxResults: PAGE_SIZE, NextToken }),
            options,
          ),
        )
      ).flatMap((response) => response.NetworkInterfaces ?? []);

      const states: SubnetState[] = [];
      for (const subnetId of subnetIds) {
        const subnet = described.Subnets?.find((candidate) => candidate.SubnetId === subnetId);
        if (!subnet?.CidrBlock) throw new VerifyError(`EC2 DescribeSubnets returned no IPv4 CIDR block for ${subnetId}`);
        const reservations = (
          await pages("GetSubnetCidrReservations", (NextToken, options) =>
            client.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId, MaxResults: PAGE_SIZE, NextToken }), options),
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
      for (const state of states) checkSubnetUse(state.subnetId, state.use);
      return states;
    },
  };
}
