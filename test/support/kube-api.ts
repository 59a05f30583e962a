/**
 * A stand-in Kubernetes API server for the verify tests: a local HTTP server
 * that answers the three reads `verify` makes with objects in the real API's
 * shapes (DaemonSet, NodeList, the kubelet's configz), 404 and 403 as Status
 * objects, and a kubeconfig that points @kubernetes/client-node at it — so
 * the client's own code (kubeconfig loading, authentication, requests,
 * deserialization) runs as it does against a cluster.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What the simulated cluster holds. */
export interface SimulatedCluster {
  /** The aws-node DaemonSet, or null for a cluster without one. */
  readonly daemonSet: object | null;
  readonly nodes: readonly object[];
  /** The kubelet configuration of each node, by node name (configz wraps it in {"kubeletconfig": ...}). */
  readonly kubeletConfigs: Readonly<Record<string, object>>;
  /** ENIConfig objects (custom networking); undefined for a cluster without the resource. */
  readonly eniConfigs?: readonly object[];
  /** Paths the API refuses with 403, as RBAC would for a user without the permission. */
  readonly forbidden?: readonly { readonly path: RegExp; readonly verb: string; readonly resource: string }[];
  /** Answers that replace the simulated ones (the first whose path matches): hostile or broken servers and proxies. */
  readonly answers?: readonly RawAnswer[];
  /** Milliseconds each configz answer takes, to see how many verify asks for at once. */
  readonly configzDelayMs?: number;
}

/** A raw answer: this status, content type and body; or, with `hang`, none (before or after the headers). */
export interface RawAnswer {
  readonly path: RegExp;
  readonly status?: number;
  readonly contentType?: string;
  readonly body?: string;
  readonly hang?: "before headers" | "after headers";
}

export interface KubeApi {
  readonly url: string;
  /** Every request as `METHOD path`. */
  readonly requests: string[];
  /** When each request arrived (Date.now()). */
  readonly requestTimes: number[];
  /** The most requests the server was answering at one time. */
  readonly maxInFlight: () => number;
  /** Write a kubeconfig for this server; `auth` is how its user authenticates. */
  kubeconfig(auth?: { token: string } | { exec: { command: string; args: string[] } }, context?: string): string;
  close(): Promise<void>;
}

/** The bearer token the server accepts. */
export const TOKEN = "k8s-aws-v1.test-token";

const status = (code: number, reason: string, message: string) => ({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });

export async function startKubeApi(cluster: SimulatedCluster): Promise<KubeApi> {
  const requests: string[] = [];
  const requestTimes: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (response: ServerResponse, code: number, body: unknown) => {
    response.writeHead(code, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    requests.push(`${request.method} ${path}`);
    requestTimes.push(Date.now());
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on("close", () => inFlight--);
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(response, 401, status(401, "Unauthorized", "Unauthorized"));
    const answer = cluster.answers?.find((candidate) => candidate.path.test(path));
    if (answer) {
      if (answer.hang === "before headers") return;
      response.writeHead(answer.status ?? 200, answer.contentType === undefined ? {} : { "content-type": answer.contentType });
      if (answer.hang === "after headers") return void response.write("{");
      return void response.end(answer.body ?? "");
    }
    if (request.method !== "GET") return send(response, 405, status(405, "MethodNotAllowed", "the stand-in API only reads"));
    const refusal = cluster.forbidden?.find((rule) => rule.path.test(path));
    if (refusal) {
      return send(response, 403, status(403, "Forbidden", `${refusal.resource} is forbidden: User "reader" cannot ${refusal.verb} resource "${refusal.resource}"`));
    }
    if (path === "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node") {
      return cluster.daemonSet
        ? send(response, 200, cluster.daemonSet)
        : send(response, 404, status(404, "NotFound", 'daemonsets.apps "aws-node" not found'));
    }
    if (path === "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs" && cluster.eniConfigs) {
      return send(response, 200, { apiVersion: "crd.k8s.amazonaws.com/v1alpha1", kind: "ENIConfigList", metadata: { resourceVersion: "4712" }, items: cluster.eniConfigs });
    }
    if (path === "/api/v1/nodes") return send(response, 200, { kind: "NodeList", apiVersion: "v1", metadata: { resourceVersion: "4711" }, items: cluster.nodes });
    const configz = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/configz$/.exec(path);
    if (configz) {
      const config = cluster.kubeletConfigs[decodeURIComponent(configz[1]!)];
      const answer = () =>
        config
          ? send(response, 200, { kubeletconfig: config })
          : send(response, 503, status(503, "ServiceUnavailable", "error trying to reach service: dial tcp 10.0.1.23:10250: connect: connection refused"));
      if (cluster.configzDelayMs) return void setTimeout(answer, cluster.configzDelayMs);
      return answer();
    }
    return send(response, 404, status(404, "NotFound", "the server could not find the requested resource"));
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const folder = mkdtempSync(join(tmpdir(), "verify-kubeconfig-"));
  let files = 0;

  return {
    url,
    requests,
    requestTimes,
    maxInFlight: () => maxInFlight,
    kubeconfig(auth = { token: TOKEN }, context = "test") {
      const user =
        "token" in auth
          ? { token: auth.token }
          : { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: auth.exec.command, args: auth.exec.args, interactiveMode: "Never" } };
      const config = {
        apiVersion: "v1",
        kind: "Config",
        // Plain HTTP on the loopback: the client allows it only with TLS verification off.
        clusters: [{ name: context, cluster: { server: url, "insecure-skip-tls-verify": true } }],
        users: [{ name: context, user }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
        "current-context": context,
      };
      const file = join(folder, `kubeconfig-${++files}.json`);
      writeFileSync(file, JSON.stringify(config, null, 2));
      return file;
    },
    // Connections a hanging answer holds open are cut, so the server closes at once.
    close: () => {
      if (!server.listening) return Promise.resolve();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      return closed;
    },
  };
}
