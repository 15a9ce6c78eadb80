"use client";

import type { SecurityDashboard } from "@/lib/monitor/dashboard";
import { HOUR_MS } from "@/lib/time";

const PALETTE = ["#198484", "#2b5556", "#16a6a6", "#d97706", "#dc2626", "#94a3b8"];

/** Events per hour over the last 24 h, stacked by type (the five most frequent, then "other"). Plain SVG. */
export function ActivityChart({ hourly, now }: { hourly: SecurityDashboard["recentActivity"]["hourly"]; now: number }) {
  const totals = new Map<string, number>();
  for (const h of hourly) totals.set(h.type, (totals.get(h.type) ?? 0) + h.count);
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([type]) => type);
  const series = [...top, ...(totals.size > top.length ? ["other"] : [])];
  const startHour = Math.floor(now / HOUR_MS) - 23;
  const buckets = Array.from({ length: 24 }, (_, i) => ({ hour: startHour + i, counts: new Map<string, number>() }));
  for (const h of hourly) {
    const bucket = buckets[Math.floor(Date.parse(h.hour) / HOUR_MS) - startHour];
    if (!bucket) continue;
    const key = top.includes(h.type) ? h.type : "other";
    bucket.counts.set(key, (bucket.counts.get(key) ?? 0) + h.count);
  }
  const peak = Math.max(1, ...buckets.map((b) => [...b.counts.values()].reduce((s, n) => s + n, 0)));
  const width = 24 * 20;
  const height = 120;

  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height + 16}`}
        className="w-full"
        role="img"
        aria-label={`Events per hour over the last 24 hours; busiest hour had ${peak}`}
      >
        {buckets.map((bucket, i) => {
          let y = height;
          return (
            <g key={bucket.hour}>
              {series.map((type, s) => {
                const n = bucket.counts.get(type) ?? 0;
                const h = (n / peak) * height;
                y -= h;
                return n > 0 ? (
                  <rect key={type} x={i * 20 + 3} y={y} width={14} height={h} fill={PALETTE[s % PALETTE.length]}>
                    <title>{`${new Date(bucket.hour * HOUR_MS).toISOString().slice(11, 16)} UTC · ${type}: ${n}`}</title>
                  </rect>
                ) : null;
              })}
              {i % 6 === 0 ? (
                <text x={i * 20 + 10} y={height + 12} fontSize="9" textAnchor="middle" fill="#64748b">
                  {new Date(bucket.hour * HOUR_MS).toISOString().slice(11, 16)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
        {series.map((type, s) => (
          <span key={type} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block size-3 rounded-sm" style={{ background: PALETTE[s % PALETTE.length] }} />
            {type} (
            {type === "other"
              ? [...totals.entries()].filter(([k]) => !top.includes(k)).reduce((sum, [, n]) => sum + n, 0)
              : totals.get(type)}
            )
          </span>
        ))}
        {series.length === 0 ? <span>No events in the last 24 hours.</span> : null}
      </figcaption>
    </figure>
  );
}
