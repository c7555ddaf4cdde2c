/**
 * The text of a generated data module that exports one set of names (`UPDATE_GOLDEN=1` writes it):
 * `doc` as its comment, then `export const NAME: ReadonlySet<string> = new Set([...])` with the
 * names quoted and wrapped under 120 columns.
 */
export function renderNameSet(doc: string, exportName: string, names: readonly string[]): string {
  const lines: string[] = [];
  let line = " ";
  for (const n of names) {
    const item = ` "${n}",`;
    if (line.length + item.length > 118) {
      lines.push(line);
      line = " ";
    }
    line += item;
  }
  lines.push(line);
  return `/**\n${doc
    .split("\n")
    .map((l) => ` * ${l}`.trimEnd())
    .join("\n")}\n */\nexport const ${exportName}: ReadonlySet<string> = new Set([\n${lines.join("\n")}\n]);\n`;
}
