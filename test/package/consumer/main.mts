/**
 * A cdktf app of an SRE team that installed eks-pod-density from npm: the
 * vpc-cni add-on in prefix mode and a node group that follows it (given the
 * add-on as `cni`, it takes its settings and waits for it). The package
 * test (test/package.test.ts) compiles it with tsconfig.json against the
 * packed package's declarations, runs it with node (no cdktf CLI) and plans the
 * stack it writes. A .mts file, so that this repository's own typecheck, which
 * cannot resolve the package by name before it is packed, leaves it alone.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { automaticMaxPods, NodeGroup, VpcCniAddon, type NodeGroupProps } from "eks-pod-density";

const cluster = {
  clusterName: "sre-test",
  clusterEndpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com",
  clusterCertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
  clusterServiceCidr: "10.100.0.0/16",
  kubernetesVersion: "1.33",
} satisfies Partial<NodeGroupProps>;

class Nodes extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "ap-northeast-1" });

    const cni = new VpcCniAddon(this, "vpc_cni", {
      clusterName: cluster.clusterName,
      kubernetesVersion: cluster.kubernetesVersion,
      enablePrefixDelegation: true,
      warmPrefixTarget: 1,
    });
    const nodes = new NodeGroup(this, "nodes", {
      ...cluster,
      subnetIds: ["subnet-0123456789abcdef0"],
      securityGroupIds: ["sg-0123456789abcdef0"],
      instanceType: "t3a.medium",
      cni,
    });

    new TerraformOutput(this, "max_pods", { value: nodes.maxPods });
    new TerraformOutput(this, "max_pods_addressable", { value: nodes.maxPodsAddressable });
    new TerraformOutput(this, "kube_reserved", { value: nodes.kubeReserved });
    new TerraformOutput(this, "user_data", { value: nodes.userData });
    new TerraformOutput(this, "configuration_values", { value: cni.configurationValues });
    // The same rule in code, from EC2's figures for t3a.medium: what the plan's max_pods must say.
    const planned = automaticMaxPods({ enis: 3, ipv4PerEni: 6, vcpus: 2, hypervisor: "nitro", memoryMiB: 4096 }, { prefixDelegation: true });
    new TerraformOutput(this, "planned_max_pods", { value: planned.maxPods });
  }
}

const app = new App({ outdir: "cdktf.out" });
new Nodes(app, "nodes");
app.synth();
