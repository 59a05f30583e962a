import { z } from "zod";
import { environmentSchema } from "../src/config.ts";
const s = z.toJSONSchema(environmentSchema, { target: "draft-7", io: "input", unrepresentable: "any" });
console.log(JSON.stringify(s, null, 1));
