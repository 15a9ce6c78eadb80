"use client";

import { useState, type FormEvent } from "react";
import { apiRequest } from "@/app/_components/api-request";
import { Field } from "@/app/_components/form-fields";
import { LocalTime } from "@/app/_components/local-time";
import { OutcomeText } from "@/app/_components/outcome-text";
import { cleanupCategories, INTERVAL_LIMITS, KEEP_DAYS_LIMITS, type CleanupCategory, type CleanupSettings } from "@/lib/cleanup/settings";
import type { SettingChange } from "@/lib/cleanup/settings";

const CATEGORY_LABELS: Record<CleanupCategory, string> = {
  expired: "Expired sessions",
  idle: "Idle sessions",
  policyViolations: "Sessions breaking their policy",
  orphaned: "Orphaned sessions (account gone or disabled)",
  duplicates: "Sessions over the per-user limit",
  suspicious: "Sessions flagged CRITICAL by the monitor",
};

export type SettingsNotice = { ok: boolean; text: string; reauth?: boolean };

type Props = {
  settings: CleanupSettings;
  source: "environment" | "administrator";
  updatedAt: string | null;
  onSaved: () => Promise<unknown>;
  /** Kept by the panel: saving reloads the settings, which starts this form again, and the outcome must survive that. */
  notice: SettingsNotice | null;
  onNotice: (notice: SettingsNotice | null) => void;
};

function describeChanges(changes: SettingChange[]): string {
  if (changes.length === 0) return "Nothing changed.";
  return `Saved: ${changes
    .map((c) => {
      if (c.setting === "intervalSeconds") return `runs every ${Math.round(Number(c.to) / 60)} min`;
      if (c.setting === "keepExpiredSessionsDays") return `ended sessions kept ${String(c.to)} days`;
      const category = c.setting.replace("categories.", "") as CleanupCategory;
      return `${CATEGORY_LABELS[category] ?? category} ${c.to ? "on" : "off"}`;
    })
    .join("; ")}.`;
}

/**
 * The cleanup's run-time switches (what the environment sets, an administrator may change here): every change is
 * recorded as an event, and "Reset to defaults" goes back to the environment's values. Nothing typed is lost when
 * saving fails.
 */
export function CleanupSettingsForm({ settings, source, updatedAt, onSaved, notice, onNotice: setNotice }: Props) {
  const [categories, setCategories] = useState(settings.categories);
  const [minutes, setMinutes] = useState(String(settings.intervalSeconds / 60));
  const [keepDays, setKeepDays] = useState(String(settings.keepExpiredSessionsDays));
  const [errors, setErrors] = useState<{ minutes?: string; keepDays?: string }>({});
  const [busy, setBusy] = useState(false);

  async function send(method: "PATCH" | "DELETE", body?: unknown) {
    setBusy(true);
    setNotice(null);
    try {
      const outcome = await apiRequest<{ changes: SettingChange[] }>(
        "/api/session/cleanup-settings",
        { method, body },
        "The cleanup settings could not be saved. Nothing was changed; please try again.",
      );
      if (!outcome.ok) {
        setNotice(
          outcome.code === "reauth_required"
            ? { ok: false, text: "Confirm your password to change the cleanup settings.", reauth: true }
            : { ok: false, text: outcome.message },
        );
        return;
      }
      setNotice({
        ok: true,
        text: method === "DELETE" && outcome.data.changes.length > 0 ? "Back to the defaults." : describeChanges(outcome.data.changes),
      });
      // The panel reloads the settings in force, which starts this form again from them.
      await onSaved();
    } finally {
      setBusy(false);
    }
  }

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const intervalSeconds = Math.round(Number(minutes) * 60);
    const keep = Number(keepDays);
    const found: typeof errors = {};
    if (!/^\d+(\.\d+)?$/.test(minutes.trim()) || intervalSeconds < INTERVAL_LIMITS.min || intervalSeconds > INTERVAL_LIMITS.max)
      found.minutes = "Enter a number of minutes from 5 to 1440.";
    if (!/^\d+$/.test(keepDays.trim()) || keep < KEEP_DAYS_LIMITS.min || keep > KEEP_DAYS_LIMITS.max)
      found.keepDays = "Enter a whole number of days from 0 to 3650.";
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void send("PATCH", { categories, intervalSeconds, keepExpiredSessionsDays: keep });
  }

  return (
    <form onSubmit={save} className="mt-6 border-t border-slate-200 pt-4" aria-labelledby="cleanup-settings-title" noValidate>
      <h3 id="cleanup-settings-title" className="font-semibold text-brand-deep">
        Cleanup settings
      </h3>
      <p className="mt-1 text-sm text-slate-600" data-testid="cleanup-settings-source">
        {source === "environment" ? (
          "The environment's defaults are in force."
        ) : (
          <>
            Changed by an administrator
            {updatedAt ? (
              <>
                {" "}
                on <LocalTime iso={updatedAt} />
              </>
            ) : null}
            ; the environment gives the defaults.
          </>
        )}
      </p>
      <div className="mt-3 grid gap-6 md:grid-cols-2">
        <fieldset>
          <legend className="text-sm font-semibold text-brand-deep">End these sessions</legend>
          {cleanupCategories.map((category) => (
            <label key={category} className="mt-2 flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name={category}
                checked={categories[category]}
                onChange={(e) => setCategories({ ...categories, [category]: e.target.checked })}
                className="size-4 accent-brand"
              />
              {CATEGORY_LABELS[category]}
            </label>
          ))}
        </fieldset>
        <div className="grid content-start gap-4">
          <Field
            id="cleanup-interval"
            label="Run every (minutes)"
            type="number"
            inputMode="numeric"
            min={5}
            max={1440}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            error={errors.minutes}
            hint="From 5 minutes to 24 hours."
          />
          <Field
            id="cleanup-keep-days"
            label="Keep ended sessions (days)"
            type="number"
            inputMode="numeric"
            min={0}
            max={3650}
            value={keepDays}
            onChange={(e) => setKeepDays(e.target.value)}
            error={errors.keepDays}
            hint="Then their rows are deleted."
          />
        </div>
      </div>
      <div className="mt-4 flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save cleanup settings"}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy || source === "environment"} onClick={() => void send("DELETE")}>
          Reset to defaults
        </button>
      </div>
      <div aria-live="polite" className="mt-3" data-testid="cleanup-settings-notice">
        {notice ? <OutcomeText text={notice.text} ok={notice.ok} reauthNext={notice.reauth ? "/admin/security" : null} /> : null}
      </div>
    </form>
  );
}
