"use client";

import { useActionState } from "react";
import { Field, FormMessage, TotpCodeField } from "@/app/_components/form-fields";
import { PasskeyCeremony } from "@/app/_components/passkey-ceremony";
import {
  confirmCodeAction,
  confirmPasswordAction,
  stepUpPasskeyAction,
  stepUpPasskeyOptionsAction,
  type StepUpCodeState,
  type StepUpState,
} from "./actions";

export function ReauthForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState<StepUpState, FormData>(confirmPasswordAction, {});
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormMessage message={state.message} testId="reauth-error" />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        autoFocus
        required
        maxLength={1024}
        error={state.fieldErrors?.password?.[0]}
      />
      <button type="submit" disabled={pending} className="btn btn-primary w-full">
        {pending ? "Checking…" : "Confirm password"}
      </button>
    </form>
  );
}

export function ReauthCodeForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState<StepUpCodeState, FormData>(confirmCodeAction, {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormMessage message={state.message} testId="reauth-code-error" />
      <TotpCodeField id="reauth-code" label="Or a code from your authenticator app" error={state.fieldErrors?.code?.[0]} />
      <button type="submit" disabled={pending} className="btn btn-secondary w-full">
        {pending ? "Checking…" : "Confirm with code"}
      </button>
    </form>
  );
}

export function ReauthPasskey({ next }: { next: string }) {
  return (
    <PasskeyCeremony
      mode="authenticate"
      begin={stepUpPasskeyOptionsAction}
      finish={(response) => stepUpPasskeyAction(response, next)}
      label="Confirm with a passkey"
      busyLabel="Waiting for your passkey…"
      testId="reauth-passkey"
    />
  );
}
