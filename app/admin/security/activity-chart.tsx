"use client";

import type { SecurityDashboard } from "@/lib/monitor/dashboard";
import { HOUR_MS } from "@/lib/time";

const PALETTE = ["#198484", "#2b5556", "#16a6a6", "#d97706", "#dc2626", "#94a3b8"];

function hourLabel(hour: number): string {
  return `${new Date(hour * HOUR_MS).toISOString().slice(11, 16)} UTC`;
}

/**
 * Events per hour over the last 24 h, stacked by type (the five most frequent, then "other"). Drawn with HTML boxes,
 * so its labels keep the page's text size at any width; screen readers get the same numbers as a table.
 */
export function ActivityChart({ hourly, now }: { hourly: SecurityDashboard["recentActivity"]["hourly"]; now: number }) {
  const totals = new Map<string, number>();
  for (const h of hourly) totals.set(h.type, (totals.get(h.type) ?? 0) + h.count);
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([type]) => type);
  const series = [...top, ...(totals.size > top.length ? ["other"] : [])];
  const startHour = Math.floor(now / HOUR_MS) - 23;
  const buckets = Array.from({ length: 24 }, (_, i) => ({ hour: startHour + i, counts: new Map<string, number>(), total: 0 }));
  for (const h of hourly) {
    const bucket = buckets[Math.floor(Date.parse(h.hour) / HOUR_MS) - startHour];
    if (!bucket) continue;
    const key = top.includes(h.type) ? h.type : "other";
    bucket.counts.set(key, (bucket.counts.get(key) ?? 0) + h.count);
    bucket.total += h.count;
  }
  const peak = Math.max(1, ...buckets.map((b) => b.total));
  const seriesTotal = (type: string) =>
    type === "other" ? [...totals.entries()].filter(([k]) => !top.includes(k)).reduce((sum, [, n]) => sum + n, 0) : (totals.get(type) ?? 0);

  return (
    <figure data-testid="activity-chart">
      <div aria-hidden="true">
        <div className="flex h-32 items-end gap-px border-b border-slate-300 sm:gap-1">
          {buckets.map((bucket) => (
            <div
              key={bucket.hour}
              className="flex h-full min-w-0 flex-1 flex-col-reverse"
              title={`${hourLabel(bucket.hour)}: ${bucket.total}`}
            >
              {series.map((type, s) => {
                const n = bucket.counts.get(type) ?? 0;
                return n > 0 ? (
                  <div key={type} style={{ height: `${(n / peak) * 100}%`, background: PALETTE[s % PALETTE.length] }} className="w-full" />
                ) : null;
              })}
            </div>
          ))}
        </div>
        {/* Four labels, each at the start of its six hours: none overhangs the chart's edge. */}
        <div className="mt-1 grid grid-cols-4 text-xs text-slate-600" data-testid="activity-axis">
          {[0, 6, 12, 18].map((i) => (
            <span key={i}>{hourLabel(buckets[i]!.hour)}</span>
          ))}
        </div>
      </div>
      {/* sr-only on a wrapper: a table ignores the 1 px width and would widen the page. */}
      <div className="sr-only">
        <table>
          <caption>Security events per hour over the last 24 hours (UTC); busiest hour had {peak}</caption>
          <thead>
            <tr>
              <th scope="col">Hour</th>
              <th scope="col">Events</th>
              <th scope="col">By type</th>
            </tr>
          </thead>
          <tbody>
            {buckets
              .filter((bucket) => bucket.total > 0)
              .map((bucket) => (
                <tr key={bucket.hour}>
                  <th scope="row">{hourLabel(bucket.hour)}</th>
                  <td>{bucket.total}</td>
                  <td>{[...bucket.counts.entries()].map(([type, n]) => `${type}: ${n}`).join(", ")}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
        {series.map((type, s) => (
          <span key={type} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block size-3 rounded-sm" style={{ background: PALETTE[s % PALETTE.length] }} />
            {type} ({seriesTotal(type)})
          </span>
        ))}
        {series.length === 0 ? <span>No events in the last 24 hours.</span> : null}
      </figcaption>
    </figure>
  );
}
