/** One user-data renderer per AMI family, all driven by the same expressions. */
import type { AmiFamily } from "../rules/ami.js";
import { renderAl2 } from "./al2.js";
import { renderAl2023 } from "./al2023.js";
import { renderBottlerocket } from "./bottlerocket.js";
import type { BootstrapExpressions, DeclareLocal } from "./inputs.js";

export { customNetworkingComment, type BootstrapExpressions, type DeclareLocal } from "./inputs.js";

/** Each family's renderer: the user data's lines, each a Terraform string template (joined with newlines, the text). */
export const USER_DATA_RENDERERS: Record<AmiFamily, (e: BootstrapExpressions, local: DeclareLocal) => string[]> = {
  AL2: renderAl2,
  AL2023: renderAl2023,
  BOTTLEROCKET: renderBottlerocket,
};
