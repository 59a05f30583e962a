/**
 * A local stand-in for the EC2 API's DescribeInstanceTypes, for plans by the
 * real AWS provider: it answers with t3a.medium as EC2 describes it (3 ENIs,
 * 6 IPv4 per ENI, 2 vCPUs, 4096 MiB, Nitro, x86_64) in the EC2 query
 * protocol's XML. The provider's data source wants the EBS, placement group,
 * processor, vCPU and network parts present. Any other call is refused, so a
 * plan that reaches for more of AWS fails loudly.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const T3A_MEDIUM = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstanceTypesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>00000000-0000-0000-0000-000000000000</requestId>
  <instanceTypeSet>
    <item>
      <instanceType>t3a.medium</instanceType>
      <currentGeneration>true</currentGeneration>
      <bareMetal>false</bareMetal>
      <hypervisor>nitro</hypervisor>
      <processorInfo><supportedArchitectures><item>x86_64</item></supportedArchitectures></processorInfo>
      <vCpuInfo><defaultVCpus>2</defaultVCpus><defaultCores>1</defaultCores><defaultThreadsPerCore>2</defaultThreadsPerCore></vCpuInfo>
      <memoryInfo><sizeInMiB>4096</sizeInMiB></memoryInfo>
      <ebsInfo><ebsOptimizedSupport>default</ebsOptimizedSupport><encryptionSupport>supported</encryptionSupport><nvmeSupport>required</nvmeSupport></ebsInfo>
      <placementGroupInfo><supportedStrategies><item>partition</item><item>spread</item></supportedStrategies></placementGroupInfo>
      <networkInfo>
        <networkPerformance>Up to 5 Gigabit</networkPerformance>
        <maximumNetworkInterfaces>3</maximumNetworkInterfaces>
        <maximumNetworkCards>1</maximumNetworkCards>
        <defaultNetworkCardIndex>0</defaultNetworkCardIndex>
        <networkCards><item><networkCardIndex>0</networkCardIndex><networkPerformance>Up to 5 Gigabit</networkPerformance><maximumNetworkInterfaces>3</maximumNetworkInterfaces></item></networkCards>
        <ipv4AddressesPerInterface>6</ipv4AddressesPerInterface>
        <ipv6AddressesPerInterface>6</ipv6AddressesPerInterface>
        <ipv6Supported>true</ipv6Supported>
      </networkInfo>
    </item>
  </instanceTypeSet>
</DescribeInstanceTypesResponse>`;

const refused = (action: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>the test stub answers DescribeInstanceTypes only, not ${action}</Message></Error></Errors><RequestID>0</RequestID></Response>`;

export interface Ec2Stub {
  readonly url: string;
  /** Actions called, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startEc2Stub(): Promise<Ec2Stub> {
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const action = new URLSearchParams(body).get("Action") ?? "(none)";
      calls.push(action);
      const ok = action === "DescribeInstanceTypes";
      response.writeHead(ok ? 200 : 400, { "Content-Type": "text/xml" });
      response.end(ok ? T3A_MEDIUM : refused(action));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
