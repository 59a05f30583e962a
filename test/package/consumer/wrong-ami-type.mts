/**
 * A typo the published types catch: "AL2023_ARM_64" is no AMI type (AL2023_ARM_64_STANDARD is). The package test
 * compiles this file with tsconfig.wrong.json and expects tsc to refuse it.
 */
import { App, TerraformStack } from "cdktf";
import { NodeGroup } from "eks-pod-density";

const stack = new TerraformStack(new App(), "nodes");
new NodeGroup(stack, "nodes", {
  clusterName: "sre-test",
  clusterEndpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com",
  clusterCertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
  clusterServiceCidr: "10.100.0.0/16",
  kubernetesVersion: "1.33",
  subnetIds: ["subnet-0123456789abcdef0"],
  securityGroupIds: ["sg-0123456789abcdef0"],
  instanceType: "m6g.large",
  amiType: "AL2023_ARM_64",
});
