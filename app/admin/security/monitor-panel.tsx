"use client";

import { useSecurityDashboard } from "@/lib/swr/use-security";
import { ActivityChart } from "./activity-chart";

const SEVERITIES = [
  ["critical", "Critical"],
  ["high", "High"],
  ["medium", "Medium"],
  ["low", "Low"],
] as const;

export function MonitorPanel() {
  const { dashboard, error, isLoading } = useSecurityDashboard();
  return (
    <section className="card space-y-5 p-6" aria-labelledby="monitor-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="monitor-title" className="text-xl font-bold text-brand-deep">
          Security monitor
        </h2>
        {dashboard ? (
          <p className="text-sm text-slate-600">
            Monitoring <strong data-testid="monitoring-status">{dashboard.monitoringStatus}</strong> ·{" "}
            {dashboard.monitoringStats.eventsProcessed24h} events in 24 h · {dashboard.monitoringStats.suspiciousSessions} suspicious
            sessions
          </p>
        ) : null}
      </div>
      <div aria-live="polite">
        {error ? <p className="text-sm text-red-700">Could not load the monitor: {error.message}</p> : null}
        {isLoading ? <p className="text-sm text-slate-500">Loading…</p> : null}
      </div>
      {dashboard ? (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            <div className="rounded-xl bg-mist p-3 text-center">
              <dt className="text-xs text-slate-600">Unacknowledged</dt>
              <dd className="text-2xl font-bold text-brand" data-testid="unacknowledged-alerts">
                {dashboard.unacknowledgedAlerts}
              </dd>
            </div>
            {SEVERITIES.map(([severity, label]) => (
              <div key={severity} className="rounded-xl bg-mist p-3 text-center">
                <dt className="text-xs text-slate-600">{label} (24 h)</dt>
                <dd className="text-2xl font-bold text-brand-deep">{dashboard.recentActivity.alertSeverities[severity] ?? 0}</dd>
              </div>
            ))}
          </dl>
          <div>
            <h3 className="mb-2 font-semibold text-brand-deep">Activity, last 24 hours</h3>
            <ActivityChart hourly={dashboard.recentActivity.hourly} now={Date.parse(dashboard.generatedAt)} />
          </div>
          {/* items-start: each table keeps its own height instead of stretching to the taller one. */}
          <div className="grid items-start gap-6 md:grid-cols-2">
            <TopTable
              caption="Most active users"
              testId="top-users"
              rows={dashboard.recentActivity.topActiveUsers.map((u) => ({ key: u.userId ?? "none", label: u.username, events: u.events }))}
            />
            <TopTable
              caption="Most active addresses"
              testId="top-addresses"
              mono
              rows={dashboard.recentActivity.topActiveIps.map((i) => ({
                key: i.ip ?? "none",
                label: i.ip ?? "(no address)",
                events: i.events,
              }))}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}

function TopTable({
  caption,
  rows,
  testId,
  mono = false,
}: {
  caption: string;
  rows: { key: string; label: string; events: number }[];
  testId: string;
  mono?: boolean;
}) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <caption className="mb-1 text-left font-semibold text-brand-deep">{caption}</caption>
      <thead className="sr-only">
        <tr>
          <th scope="col">Who</th>
          <th scope="col">Events in 24 h</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={2} className="py-1 text-slate-600">
              No activity in the last 24 hours.
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.key} className="border-t border-slate-100">
              <th scope="row" className={`py-1 pr-4 text-left font-normal break-all ${mono ? "font-mono" : ""}`}>
                {row.label}
              </th>
              <td className="py-1 text-right tabular-nums">{row.events.toLocaleString()}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
