"use client";

import { useActionState } from "react";
import { confirmPasswordAction, type StepUpState } from "./actions";

export function ReauthForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState<StepUpState, FormData>(confirmPasswordAction, {});
  const error = state.fieldErrors?.password?.[0];
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="next" value={next} />
      <div aria-live="polite" aria-atomic="true">
        {state.message ? (
          <p data-testid="reauth-error" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{state.message}</p>
        ) : null}
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-semibold text-brand-deep">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          maxLength={1024}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "password-error" : undefined}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
        />
        {error ? <p id="password-error" className="mt-1 text-sm text-red-700">{error}</p> : null}
      </div>
      <button type="submit" disabled={pending} className="btn btn-primary w-full">
        {pending ? "Checking…" : "Confirm password"}
      </button>
    </form>
  );
}
