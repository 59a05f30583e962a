/**
 * Reading the cluster through the user's kubeconfig, as kubectl would: the
 * current context (or --context), its credentials, exec plugins such as
 * `aws eks get-token` included. Everything here only reads: the aws-node
 * DaemonSet, the nodes and each kubelet's live configuration.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
  type V1DaemonSet,
  type V1Node,
} from "@kubernetes/client-node";
import { AccessError, VerifyError } from "./errors.js";
import { seconds, withDeadline } from "./timeout.js";

/** Namespace and name of the VPC CNI's DaemonSet. */
export const AWS_NODE = { namespace: "kube-system", name: "aws-node" } as const;

/** The fields of the kubelet's configuration `verify` reads (KubeletConfiguration, kubelet.config.k8s.io/v1beta1). */
export interface KubeletConfig {
  readonly maxPods?: number;
  readonly kubeReserved?: Record<string, string>;
  readonly systemReserved?: Record<string, string>;
  readonly evictionHard?: Record<string, string>;
}

/** An ENIConfig (crd.k8s.amazonaws.com/v1alpha1): with custom networking, the subnet pods of the nodes it names get addresses from. */
export interface EniConfig {
  readonly name: string;
  readonly subnet: string;
}

/** A kubelet's configuration, or why it could not be read. */
export type ConfigzResult = { readonly config: KubeletConfig } | { readonly error: string };

/** What `verify` reads from the cluster. */
export interface KubeReader {
  /** The kubeconfig context in use. */
  readonly context: string;
  /** The API server's URL. */
  readonly server: string;
  /** The aws-node DaemonSet, or null when the cluster has none. */
  awsNode(): Promise<V1DaemonSet | null>;
  nodes(): Promise<V1Node[]>;
  /** The kubelet's live configuration (`/api/v1/nodes/<node>/proxy/configz`). */
  kubeletConfig(node: string): Promise<ConfigzResult>;
  /** The ENIConfigs (custom networking); none when the cluster has no such resource. */
  eniConfigs(): Promise<EniConfig[]>;
}

export interface KubeOptions {
  /** A kubeconfig file; default $KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig; default its current context. */
  readonly context?: string;
  /** The cluster the configuration names, to refuse a kubeconfig context of another EKS cluster. */
  readonly clusterName: string;
  readonly region: string;
  /** How long one request may take, in milliseconds, before verify gives up on it. */
  readonly timeoutMs: number;
}

/** The ENIConfig resource the VPC CNI reads with custom networking. */
const ENI_CONFIGS = { group: "crd.k8s.amazonaws.com", version: "v1alpha1", plural: "eniconfigs" } as const;

/** A context or cluster name as `aws eks update-kubeconfig` writes it: the cluster's ARN. */
const EKS_CLUSTER_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):[0-9]{12}:cluster\/(.+)$/;

/** The user's kubeconfig, with the context chosen; usage errors say what to do. */
function loadKubeConfig(options: KubeOptions): KubeConfig {
  const config = new KubeConfig();
  // As kubectl: --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the pod's service account inside a cluster.
  const home = join(homedir(), ".kube", "config");
  const inCluster = !options.kubeconfig && !process.env.KUBECONFIG && !existsSync(home) && !!process.env.KUBERNETES_SERVICE_HOST;
  const file = options.kubeconfig ?? (process.env.KUBECONFIG || inCluster ? undefined : home);
  if (file !== undefined && !existsSync(file)) {
    throw new VerifyError(
      `no kubeconfig at ${file}: run aws eks update-kubeconfig --region ${options.region} --name ${options.clusterName}, or pass --kubeconfig`,
    );
  }
  try {
    if (file !== undefined) config.loadFromFile(file);
    else config.loadFromDefault();
  } catch (error) {
    throw new VerifyError(`cannot read the kubeconfig ${file ?? process.env.KUBECONFIG}: ${firstLine(error)}`);
  }
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((context) => context.name);
      throw new VerifyError(`the kubeconfig has no context "${options.context}" (it has ${known.length ? known.join(", ") : "none"})`);
    }
    config.setCurrentContext(options.context);
  }
  const context = config.getContextObject(config.getCurrentContext());
  const cluster = config.getCurrentCluster();
  if (!context || !cluster) throw new VerifyError("the kubeconfig has no current context: pass --context <name>");
  const eks = EKS_CLUSTER_ARN.exec(cluster.name) ?? EKS_CLUSTER_ARN.exec(context.name);
  if (eks && (eks[2] !== options.clusterName || eks[1] !== options.region)) {
    throw new VerifyError(
      `kubeconfig context "${context.name}" is for EKS cluster ${eks[2]} in ${eks[1]}, not ${options.clusterName} in ${options.region}: pass --context`,
    );
  }
  return config;
}

/** Whether an HTTP content type is JSON (`application/json; charset=utf-8`, `application/merge-patch+json`). */
const isJson = (contentType: string | undefined) => /\bjson\b/i.test(contentType ?? "");

/** The API answered a request with something other than JSON: a proxy's login page, an empty body. */
class NotJson extends Error {
  override name = "NotJson";
  constructor(
    readonly status: number,
    readonly contentType: string | undefined,
  ) {
    super(`HTTP ${status}, ${contentType ? `content type ${contentType}` : "no content type"}`);
  }
}

/**
 * Per-request options for the client: a deadline (the client's own AbortSignal
 * support, `RequestContext.setSignal`) that covers the answer's body too, and
 * a check that a successful answer is JSON before the client parses it (it
 * makes an empty object of an HTML page). `seen` records the HTTP status.
 */
function requestOptions(signal: AbortSignal, seen: { status?: number }): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response: ResponseContext) => {
          seen.status = response.httpStatusCode;
          const contentType = response.headers["content-type"];
          const ok = response.httpStatusCode >= 200 && response.httpStatusCode < 300;
          if (ok && !isJson(contentType)) return new Observable(Promise.reject(new NotJson(response.httpStatusCode, contentType)));
          return new Observable(Promise.resolve(response));
        },
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

/** A JSON object (not null, not a list), or undefined. */
const objectOr = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** Connect to the cluster of the user's kubeconfig. */
export async function connectKube(options: KubeOptions): Promise<KubeReader> {
  const config = loadKubeConfig(options);
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const server = config.getCurrentCluster()!.server;
  const call = async <T>(what: string, request: (options: ConfigurationOptions) => Promise<T>): Promise<T> => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const seen: { status?: number } = {};
    try {
      return await withDeadline(signal, request(requestOptions(signal, seen)));
    } catch (error) {
      if (signal.aborted) {
        throw new AccessError(`the Kubernetes API at ${server} did not answer within ${seconds(options.timeoutMs)} to ${what} (raise --timeout if it is only slow)`, false);
      }
      throw kubeError(what, server, error, seen.status);
    }
  };
  /** A list's items; an answer without a list of them is not one the API gives. */
  const itemsOf = (what: string, list: unknown): unknown[] => {
    const items = objectOr(list)?.items;
    if (!Array.isArray(items)) {
      throw new AccessError(`the Kubernetes API at ${server} answered ${what} without a list of items (items: ${JSON.stringify(items) ?? "missing"})`, false);
    }
    return items;
  };

  return {
    context: config.getCurrentContext(),
    server,
    awsNode: async () => {
      const what = `get daemonset ${AWS_NODE.namespace}/${AWS_NODE.name}`;
      let daemonSet: unknown;
      try {
        daemonSet = await call(what, (request) => apps.readNamespacedDaemonSet(AWS_NODE, request));
      } catch (error) {
        if (error instanceof NotFound) return null;
        throw error;
      }
      if (!objectOr(daemonSet)) throw new AccessError(`the Kubernetes API at ${server} answered ${what} with no object`, false);
      return daemonSet as V1DaemonSet;
    },
    nodes: async () => {
      const items = itemsOf("list nodes", await call("list nodes", (request) => core.listNode({}, request)));
      // A list entry that is not an object is nothing verify can read; the node objects' fields are checked where used.
      return items.filter((item) => objectOr(item) !== undefined) as V1Node[];
    },
    eniConfigs: async () => {
      const what = "list eniconfigs.crd.k8s.amazonaws.com";
      let list: unknown;
      try {
        list = await call(what, (request) => custom.listClusterCustomObject(ENI_CONFIGS, request));
      } catch (error) {
        if (error instanceof NotFound) return [];
        throw error;
      }
      return itemsOf(what, list).map((item) => {
        const name = objectOr(objectOr(item)?.metadata)?.name;
        const subnet = objectOr(objectOr(item)?.spec)?.subnet;
        return { name: typeof name === "string" ? name : "", subnet: typeof subnet === "string" ? subnet : "" };
      });
    },
    kubeletConfig: async (node) => {
      try {
        const body: unknown = await call(`get nodes/${node}/proxy/configz`, (request) =>
          core.connectGetNodeProxyWithPath({ name: node, path: "configz" }, request),
        );
        // The kubelet answers {"kubeletconfig": {...}}; the client hands over JSON parsed, other media types as text.
        let parsed: unknown = body;
        if (typeof body === "string") {
          try {
            parsed = JSON.parse(body);
          } catch {
            return { error: "configz answered something that is not JSON" };
          }
        }
        const kubelet = objectOr(objectOr(parsed)?.kubeletconfig);
        if (!kubelet) return { error: "configz has no kubeletconfig" };
        return { config: kubelet as KubeletConfig };
      } catch (error) {
        // A refusal (no nodes/proxy permission) stops the run; a kubelet that does not answer is this node's finding.
        if (error instanceof AccessError && error.refused) throw error;
        return { error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** The API server answered 404. */
class NotFound extends Error {
  override name = "NotFound";
}

/** An API error as something the user can act on; a 404 is left to the caller. */
function kubeError(what: string, server: string, error: unknown, status: number | undefined): Error {
  if (error instanceof NotJson) {
    const kind = /html/i.test(error.contentType ?? "") ? "an HTML page" : error.contentType ? `${error.contentType}` : "an answer without a content type";
    return new AccessError(
      `the Kubernetes API at ${server} answered ${what} with ${kind} (HTTP ${error.status}), not JSON: is a proxy or a login page between verify and the API server?`,
      false,
    );
  }
  if (error instanceof SyntaxError) {
    return new AccessError(`the Kubernetes API at ${server} answered ${what} with something that is not JSON (HTTP ${status ?? "?"}): ${firstLine(error)}`, false);
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "number") return new AccessError(`cannot reach the Kubernetes API at ${server} to ${what}: ${firstLine(error)}`, false);
  const reason = statusMessage((error as { body?: unknown }).body);
  const because = reason ? `: ${reason}` : "";
  if (code === 404) return new NotFound(`${what}: not found`);
  if (code === 401) return new AccessError(`the Kubernetes API refused to ${what} (401 Unauthorized: check the kubeconfig's credentials)${because}`, true);
  if (code === 403) return new AccessError(`the Kubernetes API refused to ${what} (403 Forbidden)${because}`, true);
  return new AccessError(`the Kubernetes API could not ${what} (${code})${because}`, false);
}

/** The `message` of a Kubernetes Status body, if the body is one; an HTML page (a proxy's) says so. */
function statusMessage(body: unknown): string | undefined {
  try {
    const status = (typeof body === "string" ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof status?.message === "string" ? status.message : undefined;
  } catch {
    if (typeof body !== "string" || !body.trim()) return undefined;
    if (/^\s*<(!doctype\s+html|html)\b/i.test(body)) return "an HTML page, not a Kubernetes answer: is a proxy between verify and the API server?";
    return body.trim().split("\n")[0];
  }
}

/** An error's message, first line only. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n")[0] ?? "";
}
