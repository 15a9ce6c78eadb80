"use client";

import { useSecurityDashboard } from "@/lib/swr/use-security";
import { ActivityChart } from "./activity-chart";

const SEVERITIES = ["critical", "high", "medium", "low"] as const;

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
            {SEVERITIES.map((severity) => (
              <div key={severity} className="rounded-xl bg-mist p-3 text-center">
                <dt className="text-xs capitalize text-slate-600">{severity} (24 h)</dt>
                <dd className="text-2xl font-bold text-brand-deep">{dashboard.recentActivity.alertSeverities[severity] ?? 0}</dd>
              </div>
            ))}
          </dl>
          <div>
            <h3 className="mb-2 font-semibold text-brand-deep">Activity, last 24 hours</h3>
            <ActivityChart hourly={dashboard.recentActivity.hourly} now={Date.parse(dashboard.generatedAt)} />
          </div>
          <div className="grid gap-6 md:grid-cols-2">
            <table className="text-sm">
              <caption className="mb-1 text-left font-semibold text-brand-deep">Most active users</caption>
              <tbody>
                {dashboard.recentActivity.topActiveUsers.map((u) => (
                  <tr key={u.userId ?? "none"}>
                    <th scope="row" className="pr-4 text-left font-normal">
                      {u.username}
                    </th>
                    <td>{u.events}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="text-sm">
              <caption className="mb-1 text-left font-semibold text-brand-deep">Most active addresses</caption>
              <tbody>
                {dashboard.recentActivity.topActiveIps.map((i) => (
                  <tr key={i.ip ?? "none"}>
                    <th scope="row" className="pr-4 text-left font-mono font-normal">
                      {i.ip}
                    </th>
                    <td>{i.events}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
