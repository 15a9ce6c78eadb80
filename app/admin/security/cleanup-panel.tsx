"use client";

import { useState } from "react";
import { OutcomeText } from "@/app/_components/outcome-text";
import { LocalTime } from "@/app/_components/local-time";
import { apiRequest } from "@/app/_components/api-request";
import { useCleanupStats } from "@/lib/swr/use-cleanup-stats";
import { CleanupSettingsForm, type SettingsNotice } from "./cleanup-settings-form";

/** The categories in the order the cleanup runs them (a run's counts come back from jsonb in key-length order). */
const LABELS: Record<string, string> = {
  expired: "Expired",
  expiredChats: "Expired chats",
  idle: "Idle",
  policyViolations: "Policy violations",
  orphaned: "Orphaned",
  duplicates: "Over the limit",
  suspicious: "Suspicious",
  anonymousOverLimit: "Anonymous over cap",
  purged: "Purged",
  eventsPurged: "Old security events",
};

/** Cleanup statistics (SWR, every 10 s) and "Run cleanup now". */
export function CleanupPanel() {
  const { stats, error, isLoading, mutate } = useCleanupStats();
  const [running, setRunning] = useState(false);
  const [settingsNotice, setSettingsNotice] = useState<SettingsNotice | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string; reauth?: boolean } | null>(null);

  async function runNow() {
    setRunning(true);
    setNotice(null);
    try {
      const outcome = await apiRequest<{ skipped?: string; totalCleaned?: number }>(
        "/api/session/cleanup/run",
        { method: "POST" },
        "The cleanup failed; see the last run below.",
      );
      if (!outcome.ok) {
        setNotice(
          outcome.code === "reauth_required"
            ? { ok: false, text: "Confirm your password to run the cleanup.", reauth: true }
            : { ok: false, text: outcome.message },
        );
      } else if (outcome.data.skipped) {
        setNotice({ ok: true, text: "A cleanup is already running on another instance." });
      } else {
        setNotice({ ok: true, text: `Cleanup finished: ${outcome.data.totalCleaned ?? 0} sessions ended.` });
      }
    } finally {
      setRunning(false);
      await mutate();
    }
  }

  return (
    <section className="card p-6" aria-labelledby="cleanup-title">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="cleanup-title" className="text-xl font-bold text-brand-deep">
          Session cleanup
        </h2>
        <button type="button" className="btn btn-primary" onClick={() => void runNow()} disabled={running}>
          {running ? "Running…" : "Run cleanup now"}
        </button>
      </div>
      <div aria-live="polite" className="mt-3 text-sm" data-testid="cleanup-notice">
        {notice ? <OutcomeText text={notice.text} ok={notice.ok} reauthNext={notice.reauth ? "/admin/security" : null} /> : null}
        {error ? <p className="text-red-700">Could not load cleanup statistics: {error.message}</p> : null}
        {isLoading ? <p className="text-slate-500">Loading…</p> : null}
      </div>
      {stats ? (
        <div className="mt-4 grid gap-6 md:grid-cols-2">
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-600">Status</dt>
            <dd data-testid="cleanup-status">
              {stats.serviceStatus} ({stats.scheduler}, every {Math.round(stats.cleanupIntervalSeconds / 60)} min)
            </dd>
            <dt className="text-slate-600">Runs</dt>
            <dd data-testid="cleanup-total-runs">{stats.statistics.totalCleanups}</dd>
            <dt className="text-slate-600">Sessions cleaned</dt>
            <dd>{stats.statistics.sessionsCleaned}</dd>
            <dt className="text-slate-600">Errors</dt>
            <dd>{stats.statistics.cleanupErrors}</dd>
            <dt className="text-slate-600">Last run</dt>
            <dd>{stats.lastCleanup ? <LocalTime iso={stats.lastCleanup.startedAt} /> : "never"}</dd>
            <dt className="text-slate-600">Next due</dt>
            <dd data-testid="cleanup-next-due">
              {stats.nextCleanupDue ? (
                <LocalTime iso={stats.nextCleanupDue} />
              ) : stats.scheduler === "external cron" ? (
                "when your cron calls it"
              ) : (
                "once the interval starts"
              )}
            </dd>
          </dl>
          {stats.lastCleanup ? (
            <table className="text-sm">
              <caption className="mb-1 text-left font-semibold text-brand-deep">Last run by category</caption>
              <tbody>
                {inPipelineOrder(stats.lastCleanup.counts).map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row" className="pr-4 text-left font-normal text-slate-600">
                      {LABELS[key] ?? key}
                    </th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
      {stats ? (
        <CleanupSettingsForm
          // A change saved elsewhere (another administrator) starts the form again from what is in force.
          key={`${stats.settings.source}:${stats.settings.updatedAt ?? ""}`}
          settings={stats.settings.current}
          source={stats.settings.source}
          updatedAt={stats.settings.updatedAt}
          onSaved={mutate}
          notice={settingsNotice}
          onNotice={setSettingsNotice}
        />
      ) : null}
    </section>
  );
}

function inPipelineOrder(counts: Record<string, number>): [string, number][] {
  const known = Object.keys(LABELS).flatMap((key): [string, number][] => (key in counts ? [[key, counts[key] ?? 0]] : []));
  return [...known, ...Object.entries(counts).filter(([key]) => !(key in LABELS))];
}
