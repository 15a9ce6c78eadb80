"use client";

import { useActionState } from "react";
import { changePasswordAction, signOutOthersAction, type AccountActionState } from "./actions";

function Notice({ state, testId }: { state: AccountActionState; testId: string }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {state.message ? (
        <p
          data-testid={testId}
          className={`rounded-lg border px-4 py-3 text-sm ${state.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800"}`}
        >
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState<AccountActionState, FormData>(changePasswordAction, {});
  const passwordError = state.fieldErrors?.password?.[0];
  const confirmError = state.fieldErrors?.confirm?.[0];
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Notice state={state} testId="password-notice" />
      <div>
        <label htmlFor="new-password" className="block text-sm font-semibold text-brand-deep">New password</label>
        <input
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={passwordError ? "new-password-error" : "new-password-hint"}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
        />
        <p id="new-password-hint" className="mt-1 text-xs text-slate-500">At least 12 characters; a few unusual words work well.</p>
        {passwordError ? <p id="new-password-error" className="mt-1 text-sm text-red-700">{passwordError}</p> : null}
      </div>
      <div>
        <label htmlFor="confirm-password" className="block text-sm font-semibold text-brand-deep">Repeat new password</label>
        <input
          id="confirm-password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={confirmError ? true : undefined}
          aria-describedby={confirmError ? "confirm-password-error" : undefined}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
        />
        {confirmError ? <p id="confirm-password-error" className="mt-1 text-sm text-red-700">{confirmError}</p> : null}
      </div>
      <button type="submit" disabled={pending} className="btn btn-primary">
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

export function SignOutOthersForm({ returnTo = "/account", onDone }: { returnTo?: string; onDone?: () => void }) {
  const [state, formAction, pending] = useActionState<AccountActionState, FormData>(async (previous, formData) => {
    const next = await signOutOthersAction(previous, formData);
    onDone?.();
    return next;
  }, {});
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="returnTo" value={returnTo} />
      <Notice state={state} testId="sign-out-others-notice" />
      <button type="submit" disabled={pending} className="btn btn-secondary">
        {pending ? "Signing out…" : "Sign out all other devices"}
      </button>
    </form>
  );
}
