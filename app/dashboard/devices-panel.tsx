"use client";

import { useState } from "react";
import { OutcomeText } from "@/app/_components/outcome-text";
import { LocalTime } from "@/app/_components/local-time";
import { SignOutOthersForm } from "@/app/account/account-forms";
import { apiRequest } from "@/app/_components/api-request";
import { useDevices } from "@/lib/swr/use-devices";

/** Signed-in devices, kept fresh with SWR; revoke one, or sign out all others (step-up). */
export function DevicesPanel() {
  const { devices, error, isLoading, mutate } = useDevices();
  const [problem, setProblem] = useState<{ text: string; reauth: boolean } | null>(null);

  async function revoke(id: string) {
    setProblem(null);
    const outcome = await apiRequest(
      `/api/session/me/sessions/${id}`,
      { method: "DELETE" },
      "That device could not be signed out. Please try again.",
    );
    if (!outcome.ok) setProblem({ text: outcome.message, reauth: outcome.code === "reauth_required" });
    await mutate();
  }

  return (
    <section className="card p-6 sm:p-8" aria-labelledby="devices-title">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="devices-title" className="text-xl font-bold text-brand-deep">
          Signed-in devices
        </h2>
        <SignOutOthersForm returnTo="/dashboard" onDone={() => void mutate()} />
      </div>
      <div aria-live="polite" className="mt-4">
        {problem ? <OutcomeText text={problem.text} reauthNext={problem.reauth ? "/dashboard" : null} /> : null}
        {error ? <p className="text-sm text-red-700">Could not load your devices: {error.message}</p> : null}
        {isLoading ? <p className="text-sm text-slate-500">Loading devices…</p> : null}
      </div>
      {devices ? (
        <ul className="mt-2 divide-y divide-slate-100" data-testid="devices">
          {devices.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="device">
              <div>
                <p className="font-semibold text-brand-deep">
                  {d.browser} on {d.os}
                  {d.current ? (
                    <span className="ml-2 rounded-full bg-brand/10 px-2 py-0.5 text-xs font-semibold text-brand-ink">This device</span>
                  ) : null}
                </p>
                <p className="text-sm text-slate-600">
                  {d.ip ?? "unknown address"} · signed in <LocalTime iso={d.createdAt} /> with{" "}
                  <span data-testid="device-method">{d.signedInWith}</span> · last active <LocalTime iso={d.lastActivityAt} />
                </p>
              </div>
              {d.current ? null : (
                <button type="button" onClick={() => void revoke(d.id)} className="btn btn-secondary px-3 py-1.5 text-sm">
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
