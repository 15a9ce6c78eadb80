"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/form-fields";
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
        <div className="min-w-48">
          <Field
            id="force-username"
            name="username"
            label="Username"
            required
            defaultValue={state.values?.username}
            error={state.fieldErrors?.username?.[0]}
          />
        </div>
        <div className="min-w-64 flex-1">
          <Field
            id="force-reason"
            name="reason"
            label="Reason"
            required
            maxLength={500}
            defaultValue={state.values?.reason}
            error={state.fieldErrors?.reason?.[0]}
          />
        </div>
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
