/** Runs `fn` `total` times from `concurrency` callers at once, timing each call. */
export type Measured = { perSecond: number; latenciesMs: number[] };

export async function runConcurrently(total: number, concurrency: number, fn: () => Promise<unknown>): Promise<Measured> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await fn();
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: (total / (performance.now() - started)) * 1000, latenciesMs };
}

export function latencyStats(latenciesMs: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
