"use client";

import { useActionState, type ReactNode } from "react";
import { Field } from "@/app/_components/form-fields";
import { OutcomeText } from "@/app/_components/outcome-text";
import { createUserAction, type UserActionState, type UserFormState } from "./actions";

export function CreateUserForm() {
  const [state, formAction, pending] = useActionState<UserFormState, FormData>(createUserAction, {});
  return (
    <form action={formAction} className="grid gap-3 sm:grid-cols-4 sm:items-end" aria-label="Create a user">
      <Field
        id="new-username"
        name="username"
        label="Username"
        required
        autoComplete="off"
        defaultValue={state.values?.username}
        error={state.fieldErrors?.username?.[0]}
      />
      <Field
        id="new-password"
        name="password"
        label="Password"
        type="password"
        required
        autoComplete="new-password"
        error={state.fieldErrors?.password?.[0]}
      />
      <div>
        <label htmlFor="new-role" className="block text-sm font-semibold text-brand-deep">
          Role
        </label>
        <select
          id="new-role"
          name="role"
          defaultValue={state.values?.role ?? "user"}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5"
        >
          <option value="user">User</option>
          <option value="admin">Administrator</option>
        </select>
      </div>
      <button type="submit" disabled={pending} className="btn btn-primary">
        {pending ? "Creating…" : "Create user"}
      </button>
      <div aria-live="polite" className="sm:col-span-4" data-testid="create-user-notice">
        {state.message ? <OutcomeText text={state.message} ok={state.ok} /> : null}
      </div>
    </form>
  );
}

/** One account action: its fields (if any), its button, and what happened, announced politely. */
export function UserActionForm({
  action,
  label,
  pendingLabel,
  testId,
  children,
  danger = false,
}: {
  action: (previous: UserActionState, formData: FormData) => Promise<UserActionState>;
  label: string;
  pendingLabel: string;
  testId: string;
  /** The action's inputs (plain elements: this form is rendered from the server page). */
  children?: ReactNode;
  danger?: boolean;
}) {
  const [state, formAction, pending] = useActionState<UserActionState, FormData>(action, {});
  // A field's problem is said in the outcome line: the inputs come from the server page.
  const text = state.message ?? Object.values(state.fieldErrors ?? {}).flat()[0];
  return (
    <form action={formAction} className="space-y-2" data-testid={testId}>
      {children ? <div className="flex flex-wrap items-end gap-3">{children}</div> : null}
      <button type="submit" disabled={pending} className={`btn ${danger ? "btn-secondary text-red-800" : "btn-primary"}`}>
        {pending ? pendingLabel : label}
      </button>
      <div aria-live="polite">{text ? <OutcomeText text={text} ok={state.ok} /> : null}</div>
    </form>
  );
}
