import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { countOverrides } from "@/lib/sessions/policy-overrides";
import { policySummary } from "@/lib/policies/summary";
import { requireAdmin } from "@/lib/sessions/dal";
import { PROXY_WARNING_MESSAGE, proxyWarning } from "@/lib/http/proxy-warning";
import { LocalTime } from "@/app/_components/local-time";
import { AlertsPanel } from "./alerts-panel";
import { CleanupPanel } from "./cleanup-panel";
import { ForceSignOutForm } from "./force-sign-out-form";
import { MonitorPanel } from "./monitor-panel";

export const metadata: Metadata = { title: "Security" };

export default async function AdminSecurityPage() {
  await requireAdmin();
  const summary = policySummary(getConfig().policySettings, await countOverrides(getDb()));
  const proxy = proxyWarning();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-deep">Security</h1>
      {proxy ? (
        <div role="alert" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" data-testid="proxy-warning">
          <strong>Check TRUSTED_PROXY_HOPS.</strong> {PROXY_WARNING_MESSAGE} (Seen on {proxy.requests}{" "}
          {proxy.requests === 1 ? "request" : "requests"} since <LocalTime iso={proxy.firstSeenAt.toISOString()} />
          .)
        </div>
      ) : null}
      <MonitorPanel />
      <AlertsPanel />
      <section className="card p-6" aria-labelledby="policies-title">
        <h2 id="policies-title" className="text-xl font-bold text-brand-deep">
          Session policies
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Enforcement is <strong data-testid="enforcement">{summary.enforcementEnabled ? "on" : "off"}</strong> · default level{" "}
          {summary.defaultSecurityLevel} · {summary.userOverrides} per-user {summary.userOverrides === 1 ? "override" : "overrides"}
        </p>
        {/* Phones get one card per kind; wider screens the table (no sideways scrolling at either size). */}
        <ul className="mt-4 grid gap-3 sm:hidden" data-testid="policy-cards">
          {Object.entries(summary.policies).map(([kind, p]) => (
            <li key={kind} className="rounded-xl bg-mist p-3 text-sm">
              <h3 className="font-semibold text-brand-deep">{kind}</h3>
              <dl className="mt-1 grid grid-cols-2 gap-x-3 gap-y-0.5">
                <dt className="text-slate-600">Level</dt>
                <dd>{p.securityLevel}</dd>
                <dt className="text-slate-600">Max</dt>
                <dd>{p.maxDurationHours} h</dd>
                <dt className="text-slate-600">Idle</dt>
                <dd>{p.idleTimeoutMinutes} min</dd>
                <dt className="text-slate-600">Concurrent</dt>
                <dd>{p.maxConcurrentSessions}</dd>
                <dt className="text-slate-600">IP</dt>
                <dd>{p.ipBinding}</dd>
                <dt className="text-slate-600">Browser</dt>
                <dd>{p.userAgentBinding ? "bound" : "–"}</dd>
                <dt className="text-slate-600">Re-auth</dt>
                <dd>{p.forceReauthHours === null ? "–" : `${p.forceReauthHours} h`}</dd>
                <dt className="text-slate-600">MFA</dt>
                <dd>{p.requiresMfa ? "yes" : "–"}</dd>
              </dl>
            </li>
          ))}
        </ul>
        <table className="mt-4 hidden w-full text-left text-sm sm:table">
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3">
                Kind
              </th>
              <th scope="col" className="pr-3">
                Level
              </th>
              <th scope="col" className="pr-3">
                Max
              </th>
              <th scope="col" className="pr-3">
                Idle
              </th>
              <th scope="col" className="pr-3">
                Concurrent
              </th>
              <th scope="col" className="pr-3">
                IP
              </th>
              <th scope="col" className="pr-3">
                Browser
              </th>
              <th scope="col" className="pr-3">
                Re-auth
              </th>
              <th scope="col">MFA</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(summary.policies).map(([kind, p]) => (
              <tr key={kind} className="border-t border-slate-100">
                <th scope="row" className="py-1.5 pr-3 font-semibold text-brand-deep">
                  {kind}
                </th>
                <td className="pr-3">{p.securityLevel}</td>
                <td className="pr-3">{p.maxDurationHours} h</td>
                <td className="pr-3">{p.idleTimeoutMinutes} min</td>
                <td className="pr-3">{p.maxConcurrentSessions}</td>
                <td className="pr-3">{p.ipBinding}</td>
                <td className="pr-3">{p.userAgentBinding ? "bound" : "–"}</td>
                <td className="pr-3">{p.forceReauthHours === null ? "–" : `${p.forceReauthHours} h`}</td>
                <td>{p.requiresMfa ? "yes" : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <CleanupPanel />
      <ForceSignOutForm />
    </div>
  );
}
