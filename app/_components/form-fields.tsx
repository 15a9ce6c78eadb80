import type { InputHTMLAttributes } from "react";

/** A labelled input with its error wired to aria-invalid / aria-describedby, as every form here does it. */
export function Field({
  id,
  label,
  error,
  hint,
  ...input
}: { id: string; label: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-semibold text-brand-deep">
        {label}
      </label>
      <input
        id={id}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
      />
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A field for the 6-digit code of an authenticator app: numeric keyboard, one-time-code autofill. */
export function TotpCodeField({ id, label, error, hint }: { id: string; label: string; error?: string; hint?: string }) {
  return (
    <Field
      id={id}
      name="code"
      label={label}
      hint={hint}
      inputMode="numeric"
      autoComplete="one-time-code"
      required
      maxLength={7}
      error={error}
    />
  );
}

/** The polite live region for a form's overall outcome. */
export function FormMessage({ message, ok = false, testId }: { message?: string; ok?: boolean; testId: string }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {message ? (
        <p
          data-testid={testId}
          className={`rounded-lg border px-4 py-3 text-sm ${ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800"}`}
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
