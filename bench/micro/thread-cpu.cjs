// Preload that prints, at exit, the CPU (user+system ms) of the main thread and of every other thread
// of the process (V8's platform workers: TurboFan's background compiles, the GC helpers). A CPU profile
// sees only the main thread; on this 2-core machine the others are ~40% of a cold compile's CPU.
// Usage: node -r ./bench/micro/thread-cpu.cjs cli/dist/main.js compile -C DIR --no-cache --output json > /dev/null
//   stderr: "thread-cpu main 1650 background 1420 (threads: 1200+20 130+0 ...)"
const fs = require("node:fs");
process.on("exit", () => {
  const tick = 10; // ms per clock tick (USER_HZ 100)
  let main = 0;
  let background = 0;
  const parts = [];
  for (const tid of fs.readdirSync("/proc/self/task")) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const user = Number(fields[11]) * tick;
      const system = Number(fields[12]) * tick;
      if (Number(tid) === process.pid) main += user + system;
      else {
        background += user + system;
        if (user + system > 0) parts.push(`${user}+${system}`);
      }
    } catch {
      // a thread that ended while we read
    }
  }
  process.stderr.write(`thread-cpu main ${main} background ${background} (threads: ${parts.join(" ")})\n`);
});
