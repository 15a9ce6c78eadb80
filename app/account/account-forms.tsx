"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/app/_components/form-fields";
import {
  changePasswordAction,
  setNotificationEmailAction,
  signOutOthersAction,
  type AccountActionState,
  type EmailActionState,
} from "./actions";

export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState<AccountActionState, FormData>(changePasswordAction, {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage message={state.message} ok={state.ok} testId="password-notice" />
      <Field
        id="current-password"
        name="current"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={1024}
        error={state.fieldErrors?.current?.[0]}
      />
      <Field
        id="new-password"
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters; a few unusual words work well."
        error={state.fieldErrors?.password?.[0]}
      />
      <Field
        id="confirm-password"
        name="confirm"
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        required
        error={state.fieldErrors?.confirm?.[0]}
      />
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
      <FormMessage message={state.message} ok={state.ok} testId="sign-out-others-notice" />
      <button type="submit" disabled={pending} className="btn btn-secondary">
        {pending ? "Signing out…" : "Sign out all other devices"}
      </button>
    </form>
  );
}

/** The address security notices go to: empty removes it. */
export function NotificationEmailForm({ current }: { current: string | null }) {
  const [state, formAction, pending] = useActionState<EmailActionState, FormData>(setNotificationEmailAction, {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage message={state.message} ok={state.ok} testId="email-notice" />
      <Field
        id="notification-email"
        name="email"
        label="Email for security notices"
        type="email"
        autoComplete="email"
        maxLength={254}
        defaultValue={state.values?.email ?? current ?? ""}
        hint="Leave it empty to stop the mail. The old address is told when it changes."
        error={state.fieldErrors?.email?.[0]}
      />
      <button type="submit" disabled={pending} className="btn btn-secondary">
        {pending ? "Saving…" : "Save email"}
      </button>
    </form>
  );
}
