"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/app/_components/form-fields";
import { PasskeyCeremony } from "@/app/_components/passkey-ceremony";
import { passkeySignInAction, passkeySignInOptionsAction, signInAction, type SignInFormState } from "./actions";

/** Signing in with a passkey alone: no username or password, the device verifies the person. */
export function PasskeySignIn({ next }: { next: string | null }) {
  return (
    <PasskeyCeremony
      mode="authenticate"
      begin={passkeySignInOptionsAction}
      finish={(response) => passkeySignInAction(response, next)}
      label="Sign in with a passkey"
      busyLabel="Waiting for your passkey…"
      testId="passkey-sign-in"
    />
  );
}

export function LoginForm({ next }: { next: string | null }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, {});
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormMessage message={state.message} testId="login-error" />
      <Field
        id="username"
        name="username"
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={64}
        defaultValue={state.values?.username}
        error={state.fieldErrors?.username?.[0]}
      />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={1024}
        error={state.fieldErrors?.password?.[0]}
      />
      <div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="rememberMe"
            aria-describedby="remember-me-hint"
            defaultChecked={state.values?.rememberMe === "on"}
            className="size-4 accent-brand"
          />
          Remember me for 30 days
        </label>
        <p id="remember-me-hint" className="mt-1 ml-6 text-xs text-slate-600">
          Not for administrator accounts: they are asked to sign in again after 2 hours.
        </p>
      </div>
      <button type="submit" disabled={pending} className="btn btn-primary w-full">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
