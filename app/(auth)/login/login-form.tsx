"use client";

import { useActionState } from "react";
import { signInAction, type SignInFormState } from "./actions";

export function LoginForm({ next }: { next: string | null }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, {});
  const usernameError = state.fieldErrors?.username?.[0];
  const passwordError = state.fieldErrors?.password?.[0];

  return (
    <form action={formAction} className="space-y-5" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <div aria-live="polite" aria-atomic="true">
        {state.message ? (
          <p data-testid="login-error" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
            {state.message}
          </p>
        ) : null}
      </div>

      <div>
        <label htmlFor="username" className="block text-sm font-semibold text-brand-deep">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={64}
          defaultValue={state.values?.username}
          aria-invalid={usernameError ? true : undefined}
          aria-describedby={usernameError ? "username-error" : undefined}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
        />
        {usernameError ? <p id="username-error" className="mt-1 text-sm text-red-700">{usernameError}</p> : null}
      </div>

      <div>
        <label htmlFor="password" className="block text-sm font-semibold text-brand-deep">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={passwordError ? "password-error" : undefined}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
        />
        {passwordError ? <p id="password-error" className="mt-1 text-sm text-red-700">{passwordError}</p> : null}
      </div>

      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="rememberMe"
          defaultChecked={state.values?.rememberMe}
          className="size-4 accent-brand"
        />
        Remember me for 30 days
      </label>

      <button type="submit" disabled={pending} className="btn btn-primary w-full">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
