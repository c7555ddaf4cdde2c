import { main } from "./main.js";

// The process boundary: real argv, streams, cwd and environment; exit code via process.exitCode so
// large outputs are flushed before node exits. No top-level await: with code splitting, a lazily
// imported command chunk may import shared code from this entry chunk, and a top-level await here
// would make that import wait for itself.
main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stdoutBytes: (bytes) => void process.stdout.write(bytes),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTty: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rocky: internal error (a bug, please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
