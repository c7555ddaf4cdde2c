import { main } from "./main.js";

// The process boundary: real argv, streams, cwd and environment; exit code via process.exitCode so
// large outputs are flushed before node exits.
const code = await main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTty: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
});
process.exitCode = code;
