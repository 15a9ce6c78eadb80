"use client";

import Link from "next/link";
import { useState } from "react";
import { OutcomeText } from "@/app/_components/outcome-text";
import { LocalTime } from "@/app/_components/local-time";
import type { AlertJson } from "@/lib/monitor/alert-json";
import { apiRequest } from "@/app/_components/api-request";
import { useAlerts } from "@/lib/swr/use-security";

const SEVERITY_STYLE: Record<string, string> = {
  critical: "bg-red-900 text-white",
  high: "bg-red-100 text-red-900",
  medium: "bg-amber-100 text-amber-900",
  low: "bg-slate-100 text-slate-700",
};

export function AlertsPanel() {
  const [severity, setSeverity] = useState("");
  const [status, setStatus] = useState<"open" | "acknowledged" | "resolved" | "all">("open");
  const { alerts, error, isLoading, mutate } = useAlerts({ severity, status });
  const [problem, setProblem] = useState<{ text: string; reauth?: boolean } | null>(null);

  async function act(alert: AlertJson, action: "acknowledge" | "resolve", notes?: string, falsePositive?: boolean) {
    setProblem(null);
    const outcome = await apiRequest(
      `/api/session/alerts/${alert.id}/${action}`,
      { method: "POST", body: action === "resolve" ? { notes, falsePositive } : {} },
      "That did not work. Please try again.",
    );
    if (!outcome.ok) setProblem({ text: outcome.message, reauth: outcome.code === "reauth_required" });
    await mutate();
  }

  return (
    <section className="card p-6" aria-labelledby="alerts-title">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="alerts-title" className="text-xl font-bold text-brand-deep">
          Alerts
        </h2>
        <div className="flex flex-wrap gap-3 text-sm">
          <label className="flex flex-col">
            Severity
            <select value={severity} onChange={(e) => setSeverity(e.target.value)} className="rounded border border-slate-300 px-2 py-1">
              <option value="">All</option>
              <option value="critical">Critical</option>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
            </select>
          </label>
          <label className="flex flex-col">
            Status
            <select
              value={status}
              onChange={(e) => setStatus(e.target.value as typeof status)}
              className="rounded border border-slate-300 px-2 py-1"
            >
              <option value="open">Open</option>
              <option value="acknowledged">Acknowledged</option>
              <option value="resolved">Resolved</option>
              <option value="all">All</option>
            </select>
          </label>
        </div>
      </div>
      <div aria-live="polite" className="mt-3 text-sm">
        {problem ? <OutcomeText text={problem.text} reauthNext={problem.reauth ? "/admin/security" : null} /> : null}
        {error ? <p className="text-red-700">Could not load alerts: {error.message}</p> : null}
        {isLoading ? <p className="text-slate-500">Loading alerts…</p> : null}
        {alerts && alerts.length === 0 ? <p className="py-4 text-center text-slate-600">No alerts match these filters.</p> : null}
      </div>
      <ul className="mt-2 divide-y divide-slate-100" data-testid="alerts">
        {alerts?.map((alert) => (
          <AlertRow key={alert.id} alert={alert} onAct={act} />
        ))}
      </ul>
    </section>
  );
}

function AlertRow({
  alert,
  onAct,
}: {
  alert: AlertJson;
  onAct: (alert: AlertJson, action: "acknowledge" | "resolve", notes?: string, falsePositive?: boolean) => Promise<void>;
}) {
  const [notes, setNotes] = useState("");
  const [falsePositive, setFalsePositive] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (action: "acknowledge" | "resolve") => {
    setBusy(true);
    try {
      await onAct(alert, action, notes.trim() || undefined, action === "resolve" ? falsePositive : undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="space-y-2 py-3" data-testid="alert">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded-full px-2 py-0.5 text-xs font-semibold uppercase ${SEVERITY_STYLE[alert.severity] ?? ""}`}>
          {alert.severity}
        </span>
        <span className="font-semibold text-brand-deep">{alert.title}</span>
        <span className="text-sm text-slate-700" data-testid="alert-about">
          <AlertAbout alert={alert} />
        </span>
        {alert.occurrences > 1 ? <span className="text-xs text-slate-600">seen {alert.occurrences} times</span> : null}
        <span className="ml-auto text-xs text-slate-500">
          <LocalTime iso={alert.lastSeenAt} />
        </span>
      </div>
      <p className="text-sm">{alert.message}</p>
      <p className="text-xs text-slate-600">
        {alert.severity === "critical" || alert.severity === "high"
          ? `${capitalized(alert.severity)}: ${alert.action}.`
          : "Alert only: sessions are not touched."}
      </p>
      {alert.resolved ? (
        <p className="text-sm text-emerald-800" data-testid="alert-status">
          {alert.falsePositive ? "Resolved as a false positive" : "Resolved"}
          {alert.resolutionNotes ? `: ${alert.resolutionNotes}` : ""}
        </p>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          {alert.acknowledged ? (
            <span className="text-sm text-slate-600" data-testid="alert-status">
              Acknowledged
            </span>
          ) : (
            <button type="button" disabled={busy} onClick={() => void run("acknowledge")} className="btn btn-secondary px-3 py-1 text-sm">
              Acknowledge
            </button>
          )}
          <label className="sr-only" htmlFor={`notes-${alert.id}`}>
            Resolution notes
          </label>
          <input
            id={`notes-${alert.id}`}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            maxLength={2000}
            placeholder="Resolution notes (optional)"
            className="min-w-48 flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
          />
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={falsePositive} onChange={(e) => setFalsePositive(e.target.checked)} />
            False positive
          </label>
          <button type="button" disabled={busy} onClick={() => void run("resolve")} className="btn btn-primary px-3 py-1 text-sm">
            Resolve
          </button>
        </div>
      )}
    </li>
  );
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Whom the alert is about, by name, and from which address. */
function AlertAbout({ alert }: { alert: AlertJson }) {
  const { about, address } = alert;
  const from = address && about.kind !== "address" ? ` from ${address}` : "";
  switch (about.kind) {
    case "user":
      return (
        <>
          user{" "}
          {about.username ? (
            <Link href={`/admin/users/${about.userId}`} className="font-semibold text-brand-ink underline">
              {about.username}
            </Link>
          ) : (
            <strong>(deleted user)</strong>
          )}
          {from}
        </>
      );
    case "account":
      return (
        <>
          account <strong>{about.username}</strong>
          {from}
        </>
      );
    case "address":
      return (
        <>
          address <strong>{about.address}</strong>
        </>
      );
    case "other":
      return <>{about.text}</>;
  }
}
