import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * test/fixtures/projects/malformed: one mistake of each kind beside healthy models. The files git
 * should not carry are written at run time: a binary model, a non-UTF-8 model, a model over the
 * 10 MB limit, a BOM-prefixed model and a directory named like a model (each R007, saying why).
 */
export const MALFORMED_PROJECT = new URL("../../../fixtures/projects/malformed/", import.meta.url).pathname;

/** Copy the fixture project to a temp dir and add the binary, non-UTF-8 and oversized files. */
export function materializeMalformedProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "rocky-malformed-"));
  cpSync(MALFORMED_PROJECT, dir, { recursive: true });
  writeFileSync(join(dir, "models/binary.sql"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
  writeFileSync(join(dir, "models/latin1.sql"), Buffer.from("SELECT 'caf\xe9' AS x\nFROM raw.orders\n", "latin1"));
  writeFileSync(join(dir, "models/huge.sql"), `SELECT id\nFROM raw.orders\n${"-- padding padding padding padding padding padding padding padding\n".repeat(160_000)}`);
  writeFileSync(join(dir, "models/bom.sql"), `\ufeffSELECT id,\n  status\nFROM raw.orders\n`);
  mkdirSync(join(dir, "models/not_a_model.sql"));
  return dir;
}

