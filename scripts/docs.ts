/** `npm run docs`: writes docs/bad-input.md from the bad-input matrix. */
import { writeFileSync } from "node:fs";
import { renderMatrixDoc } from "../test/bad-input/doc.js";

writeFileSync("docs/bad-input.md", renderMatrixDoc());
