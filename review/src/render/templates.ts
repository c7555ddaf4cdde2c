import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TEMPLATES } from "./templates.generated.js";

/** The comment templates by name (file name without `.md`); each is also a partial for the others. */
export type Templates = Readonly<Record<string, string>> & { readonly comment: string; readonly check: string };

const REQUIRED = ["comment", "check"] as const;

function asTemplates(map: Readonly<Record<string, string>>, from: string): Templates {
  for (const name of REQUIRED) if (typeof map[name] !== "string") throw new Error(`${from}: template ${name}.md is missing`);
  return map as Templates;
}

/** The templates compiled into the bundle (generated from comment-templates/ by build-templates.mjs). */
export const DEFAULT_TEMPLATES: Templates = asTemplates(TEMPLATES, "templates.generated.ts");

/** Read a templates directory (e.g. a customized copy of comment-templates/), once per call. */
export function loadTemplates(dir: string): Templates {
  const map: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".md") || file === "README.md") continue;
    map[file.slice(0, -3)] = readFileSync(join(dir, file), "utf8");
  }
  return asTemplates(map, dir);
}
