/** One user-data renderer per AMI family, all driven by the same expressions. */
import type { AmiFamily } from "../rules/ami.js";
import { renderAl2 } from "./al2.js";
import { renderAl2023 } from "./al2023.js";
import { renderBottlerocket } from "./bottlerocket.js";
import type { BootstrapExpressions } from "./inputs.js";

export type { BootstrapExpressions } from "./inputs.js";

export const USER_DATA_RENDERERS: Record<AmiFamily, (e: BootstrapExpressions) => string> = {
  AL2: renderAl2,
  AL2023: renderAl2023,
  BOTTLEROCKET: renderBottlerocket,
};
