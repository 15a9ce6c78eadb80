/**
 * What the simulated users saw: every response by route and status, latencies per route, and the problems that
 * fail the run. Kept in memory — a full run is a few tens of thousands of requests.
 */

/** A request that got no HTTP status at all (refused connection, reset, our own time limit). */
export const NO_RESPONSE = 0;

export type Problem = { user: number; route: string; what: string };

export class Metrics {
  private readonly statuses = new Map<string, Map<number, number>>();
  private readonly latencies = new Map<string, number[]>();
  /** Conditions that fail the run (a 5xx, an error page behind a 200, an unexpected sign-out …). */
  readonly problems: Problem[] = [];
  /** Conditions worth reporting that the app's policies legitimately produce (a busy sign-in queue …). */
  readonly notices = new Map<string, number>();

  record(route: string, status: number, ms: number): void {
    const byStatus = this.statuses.get(route) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.statuses.set(route, byStatus);
    const list = this.latencies.get(route) ?? [];
    list.push(ms);
    this.latencies.set(route, list);
  }

  problem(user: number, route: string, what: string): void {
    this.problems.push({ user, route, what });
  }

  notice(what: string): void {
    this.notices.set(what, (this.notices.get(what) ?? 0) + 1);
  }

  count(predicate: (status: number) => boolean): number {
    let n = 0;
    for (const byStatus of this.statuses.values()) for (const [status, c] of byStatus) if (predicate(status)) n += c;
    return n;
  }

  /** One line per route: requests, counts per status, and latency percentiles. */
  table(): string[] {
    const rows = [...this.statuses.keys()].sort().map((route) => {
      const byStatus = [...this.statuses.get(route)!.entries()].sort(([a], [b]) => a - b);
      const total = byStatus.reduce((sum, [, c]) => sum + c, 0);
      const sorted = [...(this.latencies.get(route) ?? [])].sort((a, b) => a - b);
      const statuses = byStatus.map(([s, c]) => `${s === NO_RESPONSE ? "no response" : s}×${c}`).join(" ");
      return {
        route,
        total: String(total),
        statuses,
        p50: `${percentile(sorted, 0.5).toFixed(0)} ms`,
        p99: `${percentile(sorted, 0.99).toFixed(0)} ms`,
        max: `${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
      };
    });
    const header = { route: "route", total: "requests", statuses: "status×count", p50: "p50", p99: "p99", max: "max" };
    const all = [header, ...rows];
    const width = (key: keyof typeof header) => Math.max(...all.map((r) => r[key].length));
    const keys = Object.keys(header) as (keyof typeof header)[];
    return all.map((r) =>
      keys.map((k) => (k === "route" || k === "statuses" ? r[k].padEnd(width(k)) : r[k].padStart(width(k)))).join("  "),
    );
  }
}

/** The q-quantile of an ascending list (nearest rank); 0 for an empty list. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
