/**
 * A local HTTP server in EC2's place for the verify tests that need what
 * aws-sdk-client-mock cannot give: the SDK's own HTTP handling of an answer
 * that is an HTML page, an empty body, or no answer at all. Each action is
 * answered as `answer` says; `client()` is an EC2Client pointed at it.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EC2Client } from "@aws-sdk/client-ec2";

/** This status, content type and body; or "hang": accept the request and never answer. */
export type Ec2Answer = { readonly status: number; readonly contentType?: string; readonly body: string } | "hang";

export interface Ec2Api {
  readonly url: string;
  /** Actions called, in order. */
  readonly calls: string[];
  /** When each call arrived (Date.now()). */
  readonly callTimes: number[];
  /** An EC2 client for this server (static credentials, one attempt, so a test sees the first answer's effect). */
  client(region: string): EC2Client;
  close(): Promise<void>;
}

export async function startEc2Api(answer: (action: string) => Ec2Answer): Promise<Ec2Api> {
  const calls: string[] = [];
  const callTimes: number[] = [];
  const server = createServer((request, response: ServerResponse) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const action = new URLSearchParams(body).get("Action") ?? "(none)";
      calls.push(action);
      callTimes.push(Date.now());
      const reply = answer(action);
      if (reply === "hang") return;
      response.writeHead(reply.status, reply.contentType ? { "content-type": reply.contentType } : {});
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    callTimes,
    client: (region) => {
      const client = new EC2Client({ region, endpoint: url, maxAttempts: 1, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "test" } });
      // Suites that mock EC2 stub EC2Client.prototype.send (aws-sdk-client-mock), and with vitest's isolate: false the
      // stub can outlive its file in this worker: this client sends through the SDK's own send, to this server.
      client.send = (Object.getPrototypeOf(EC2Client.prototype) as EC2Client).send.bind(client) as EC2Client["send"];
      return client;
    },
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
