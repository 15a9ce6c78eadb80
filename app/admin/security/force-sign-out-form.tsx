"use client";

import { useActionState } from "react";
import { OutcomeText } from "@/app/_components/outcome-text";
import { forceSignOutAction, type ForceSignOutState } from "./actions";

export function ForceSignOutForm() {
  const [state, formAction, pending] = useActionState<ForceSignOutState, FormData>(forceSignOutAction, {});
  return (
    <section className="card p-6" aria-labelledby="force-title">
      <h2 id="force-title" className="text-xl font-bold text-brand-deep">
        Force sign-out
      </h2>
      <form action={formAction} className="mt-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm font-semibold text-brand-deep">
          Username
          <input
            name="username"
            required
            defaultValue={state.values?.username}
            aria-invalid={state.fieldErrors?.username ? true : undefined}
            aria-describedby={state.fieldErrors?.username ? "force-username-error" : undefined}
            className="mt-1 rounded-lg border border-slate-300 px-3 py-2 font-normal"
          />
          {state.fieldErrors?.username ? (
            <span id="force-username-error" className="mt-1 font-normal text-red-700">
              {state.fieldErrors.username[0]}
            </span>
          ) : null}
        </label>
        <label className="flex min-w-64 flex-1 flex-col text-sm font-semibold text-brand-deep">
          Reason
          <input
            name="reason"
            required
            maxLength={500}
            defaultValue={state.values?.reason}
            aria-invalid={state.fieldErrors?.reason ? true : undefined}
            aria-describedby={state.fieldErrors?.reason ? "force-reason-error" : undefined}
            className="mt-1 rounded-lg border border-slate-300 px-3 py-2 font-normal"
          />
          {state.fieldErrors?.reason ? (
            <span id="force-reason-error" className="mt-1 font-normal text-red-700">
              {state.fieldErrors.reason[0]}
            </span>
          ) : null}
        </label>
        <button type="submit" disabled={pending} className="btn btn-primary">
          {pending ? "Signing out…" : "Sign out everywhere"}
        </button>
      </form>
      <div aria-live="polite" className="mt-3 text-sm" data-testid="force-notice">
        {state.message ? <OutcomeText text={state.message} ok={state.ok} /> : null}
      </div>
    </section>
  );
}
