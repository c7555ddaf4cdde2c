// The Action's entry: no logic here, only run().
import { run } from "./run.js";

await run();
