// Preloaded into a measured child process (`node --import ./bench/rss-reporter.mjs ...`): at exit,
// write the process's peak resident set size (KiB → MB) to the file named by ROCKY_BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";
const out = process.env.ROCKY_BENCH_RSS_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS / 1024)));
