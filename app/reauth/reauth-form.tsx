"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/app/_components/form-fields";
import { confirmPasswordAction, type StepUpState } from "./actions";

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
