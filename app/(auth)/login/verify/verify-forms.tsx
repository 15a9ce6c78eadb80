"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/app/_components/form-fields";
import { PasskeyCeremony } from "@/app/_components/passkey-ceremony";
import { passkeyOptionsAction, passkeyVerifyAction, verifyCodeAction, type VerifyState } from "./actions";

export function CodeForm({ factor, next }: { factor: "totp" | "recovery_code"; next: string }) {
  const [state, formAction, pending] = useActionState<VerifyState, FormData>(verifyCodeAction, {});
  const totp = factor === "totp";
  const id = totp ? "totp-code" : "recovery-code";
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="factor" value={factor} />
      <input type="hidden" name="next" value={next} />
      <FormMessage message={state.message} testId={`${id}-message`} />
      <Field
        id={id}
        name="code"
        label={totp ? "6-digit code from your authenticator app" : "Recovery code"}
        hint={totp ? undefined : "One of the codes you saved when you set up two-step verification, like abcde-fghjk."}
        inputMode={totp ? "numeric" : "text"}
        autoComplete={totp ? "one-time-code" : "off"}
        autoCapitalize="none"
        spellCheck={false}
        autoFocus={totp}
        required
        maxLength={32}
        error={state.fieldErrors?.code?.[0]}
      />
      <button type="submit" disabled={pending} className={totp ? "btn btn-primary w-full" : "btn btn-secondary w-full"}>
        {pending ? "Checking…" : totp ? "Verify" : "Use recovery code"}
      </button>
    </form>
  );
}

export function PasskeyStep({ next, primary }: { next: string; primary: boolean }) {
  return (
    <PasskeyCeremony
      mode="authenticate"
      begin={passkeyOptionsAction}
      finish={(response) => passkeyVerifyAction(response, next)}
      label="Use your passkey"
      busyLabel="Waiting for your passkey…"
      testId="passkey-second-factor"
      className={primary ? "btn btn-primary w-full" : "btn btn-secondary w-full"}
    />
  );
}
