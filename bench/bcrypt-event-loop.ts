/**
 * How much 10 concurrent cost-12 bcrypt compares delay the event loop: bcryptjs' async API on the main thread
 * versus our worker pool (lib/auth/bcrypt-pool.ts). Run: npm run bench. Writes its table into docs/BENCHMARKS.md.
 */
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import bcrypt from "bcryptjs";
import { bcryptCompare } from "../lib/auth/bcrypt-pool";
import { writeBenchmarkSection } from "./report";

const COST = 12;
const CONCURRENT = 10;

async function measure(label: string, compare: (pw: string, hash: string) => Promise<boolean>, hash: string) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => compare(`wrong-${i}`, hash)));
  const wall = performance.now() - started;
  histogram.disable();
  return { label, wallMs: wall, maxDelayMs: histogram.max / 1e6, p99DelayMs: histogram.percentile(99) / 1e6 };
}

async function main() {
  const hash = bcrypt.hashSync("the-real-password", COST);
  // Warm the pool so worker start-up is not counted.
  await bcryptCompare("warm", hash);
  const rows = [
    await measure("bcryptjs async API, main thread", (pw, h) => bcrypt.compare(pw, h), hash),
    await measure("worker pool (lib/auth/bcrypt-pool.ts)", bcryptCompare, hash),
  ];
  const table = [
    `${CONCURRENT} concurrent cost-${COST} compares on ${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| how | wall time | event-loop delay max | event-loop delay p99 |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.label} | ${r.wallMs.toFixed(0)} ms | ${r.maxDelayMs.toFixed(1)} ms | ${r.p99DelayMs.toFixed(1)} ms |`),
  ].join("\n");
  console.log(table);
  writeBenchmarkSection("bcrypt off the event loop", table);
  process.exit(0);
}

void main();
