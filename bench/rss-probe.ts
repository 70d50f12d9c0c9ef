// Preloaded into a CLI under measurement (node --import ./bench/rss-probe.ts): on exit, writes the
// process's own peak resident set (getrusage maxrss, KB) to BENCH_RSS_FILE, so no sampling can miss it.
import fs from "node:fs";

const out = process.env.BENCH_RSS_FILE;
if (out) process.on("exit", () => fs.writeFileSync(out, String(process.resourceUsage().maxRSS)));
