import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { validateProject } from "../../../engine/src/project/validate-project.js";
import { VERSION } from "../../../engine/src/version.js";
import { requireProject } from "./compile-dir.js";
import { type CliIo, json, outputFormat, type ParsedCommand, projectDir, str, vars } from "../io.js";

const marks = { ok: "✓", warn: "!", error: "✗", lint: "~" } as const;

/** `rocky validate`: config checks only (V0xx / L0xx), exit 1 when invalid. */
export async function validateCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const root = projectDir(cmd, io);
  requireProject(root, cmd);
  const files = readProjectDir(root, { modelsDir: str(cmd, "models"), contractsDir: str(cmd, "contracts") });
  const out = validateProject(files, { env: io.env, vars: vars(cmd), modelsDir: str(cmd, "models"), contractsDir: str(cmd, "contracts") });
  if (format === "json") {
    io.stdout(json({ ...out, version: VERSION, command: "validate" }));
  } else {
    const lines = out.messages.map((m) => `${marks[m.severity]} ${m.code} ${m.message}${m.file ? ` (${m.file}${m.line ? `:${m.line}` : ""}${m.field ? ` ${m.field}` : ""})` : ""}`);
    lines.push("", out.valid ? "Configuration is valid." : "Configuration is invalid.");
    io.stdout(`${lines.join("\n")}\n`);
  }
  return out.valid ? 0 : 1;
}
