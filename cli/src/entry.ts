import { main } from "./main.js";

// The process boundary: real argv, streams, cwd and environment; exit code via process.exitCode so
// large outputs are flushed before node exits. No top-level await: with code splitting, a lazily
// imported command chunk may import shared code from this entry chunk, and a top-level await here
// would make that import wait for itself.
// A reader that stops early (`rocky compile --output json | head`) closes the pipe: stop quietly, as
// command-line tools do, instead of a stack trace for an EPIPE nobody asked about.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

function untilWritable(resolve: () => void): void {
  const done = () => {
    process.stdout.off("drain", done).off("close", done);
    resolve();
  };
  process.stdout.once("drain", done).once("close", done);
}

main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stdoutBytes: (bytes) => new Promise<void>((resolve) => void process.stdout.write(bytes, () => resolve())),
  // Large outputs wait for a slow reader (a pipe) instead of queueing in memory; a closed stdout ends the wait.
  drain: () => (process.stdout.writableNeedDrain ? new Promise((resolve) => untilWritable(resolve)) : Promise.resolve()),
  stderr: (text) => void process.stderr.write(text),
  // Only a command that asks installs the handlers: every other command keeps Ctrl-C's default (exit at once).
  interrupted: () =>
    new Promise((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop).off("SIGTERM", stop);
        resolve();
      };
      process.once("SIGINT", stop).once("SIGTERM", stop);
    }),
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
