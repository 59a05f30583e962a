/**
 * Reading the cluster through the user's kubeconfig, as kubectl would: the
 * current context (or --context), its credentials, exec plugins such as
 * `aws eks get-token` included. Everything here only reads: the aws-node
 * DaemonSet, the nodes and each kubelet's live configuration.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1DaemonSet, type V1Node } from "@kubernetes/client-node";
import { AccessError, VerifyError } from "./errors.js";

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

/** Connect to the cluster of the user's kubeconfig. */
export async function connectKube(options: KubeOptions): Promise<KubeReader> {
  const config = loadKubeConfig(options);
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const server = config.getCurrentCluster()!.server;
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw kubeError(what, server, error);
    }
  };

  return {
    context: config.getCurrentContext(),
    server,
    awsNode: async () => {
      try {
        return await call(`get daemonset ${AWS_NODE.namespace}/${AWS_NODE.name}`, () => apps.readNamespacedDaemonSet(AWS_NODE));
      } catch (error) {
        if (error instanceof NotFound) return null;
        throw error;
      }
    },
    nodes: async () => (await call("list nodes", () => core.listNode())).items,
    eniConfigs: async () => {
      let list: { items?: { metadata?: { name?: string }; spec?: { subnet?: string } }[] };
      try {
        list = await call("list eniconfigs.crd.k8s.amazonaws.com", () => custom.listClusterCustomObject(ENI_CONFIGS));
      } catch (error) {
        if (error instanceof NotFound) return [];
        throw error;
      }
      return (list.items ?? []).map((item) => ({ name: item.metadata?.name ?? "", subnet: item.spec?.subnet ?? "" }));
    },
    kubeletConfig: async (node) => {
      try {
        const body: unknown = await call(`get nodes/${node}/proxy/configz`, () => core.connectGetNodeProxyWithPath({ name: node, path: "configz" }));
        // The kubelet answers {"kubeletconfig": {...}}; the client hands over JSON parsed, other media types as text.
        const parsed = (typeof body === "string" ? JSON.parse(body) : body) as { kubeletconfig?: KubeletConfig } | null;
        if (!parsed?.kubeletconfig) return { error: "configz has no kubeletconfig" };
        return { config: parsed.kubeletconfig };
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
function kubeError(what: string, server: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "number") return new AccessError(`cannot reach the Kubernetes API at ${server} to ${what}: ${firstLine(error)}`, false);
  const reason = statusMessage((error as { body?: unknown }).body);
  const because = reason ? `: ${reason}` : "";
  if (code === 404) return new NotFound(`${what}: not found`);
  if (code === 401) return new AccessError(`the Kubernetes API refused to ${what} (401 Unauthorized: check the kubeconfig's credentials)${because}`, true);
  if (code === 403) return new AccessError(`the Kubernetes API refused to ${what} (403 Forbidden)${because}`, true);
  return new AccessError(`the Kubernetes API could not ${what} (${code})${because}`, false);
}

/** The `message` of a Kubernetes Status body, if the body is one. */
function statusMessage(body: unknown): string | undefined {
  try {
    const status = (typeof body === "string" ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof status?.message === "string" ? status.message : undefined;
  } catch {
    return typeof body === "string" && body.trim() ? body.trim().split("\n")[0] : undefined;
  }
}

/** An error's message, first line only. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n")[0] ?? "";
}
