"use client";

import { useActionState, useState } from "react";
import { Field, FormMessage } from "@/app/_components/form-fields";
import { LocalTime } from "@/app/_components/local-time";
import type { AccessTokenSummary } from "@/lib/auth/personal-access-tokens";
import { SCOPE_WORDS } from "@/lib/auth/access-token-schemas";
import { ACCESS_TOKEN_EXPIRY_CHOICES } from "@/lib/policies/access-token";
import { createAccessTokenAction, revokeAccessTokenAction, type AccessTokenActionState } from "./actions";

/** The token just created, shown once, with a copy button. */
function NewToken({ token }: { token: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4">
      <label htmlFor="new-access-token" className="block text-sm font-semibold text-amber-900">
        Your new token (shown only this once)
      </label>
      <div className="flex gap-2">
        <input
          id="new-access-token"
          data-testid="new-access-token"
          readOnly
          value={token}
          onFocus={(event) => event.currentTarget.select()}
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
        />
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(token).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="text-xs text-amber-900">
        Send it as <code>Authorization: Bearer …</code>. Store it like a password; anyone holding it acts as you within its scope.
      </p>
    </div>
  );
}

export function CreateAccessTokenForm() {
  const [state, formAction, pending] = useActionState<AccessTokenActionState, FormData>(createAccessTokenAction, {});
  const values = state.ok ? {} : (state.values ?? {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage message={state.message} ok={state.ok} testId="access-token-notice" />
      {state.result ? <NewToken token={state.result.token} /> : null}
      {/* Remounted with what was sent whenever the answer changes: React resets a form after its action runs. */}
      <div key={JSON.stringify(values)} className="space-y-4">
        <Field
          id="access-token-name"
          name="name"
          label="Name"
          required
          maxLength={60}
          hint="What uses it, e.g. “nightly report script”."
          defaultValue={values.name ?? ""}
          error={state.fieldErrors?.name?.[0]}
        />
        <div>
          <label htmlFor="access-token-days" className="block text-sm font-semibold text-brand-deep">
            Expires after
          </label>
          <select
            id="access-token-days"
            name="days"
            defaultValue={values.days ?? "30"}
            aria-invalid={state.fieldErrors?.days ? true : undefined}
            aria-describedby={state.fieldErrors?.days ? "access-token-days-error" : undefined}
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5"
          >
            {ACCESS_TOKEN_EXPIRY_CHOICES.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
          {state.fieldErrors?.days ? (
            <p id="access-token-days-error" className="mt-1 text-sm text-red-700">
              {state.fieldErrors.days[0]}
            </p>
          ) : null}
        </div>
        <fieldset aria-describedby={state.fieldErrors?.scope ? "access-token-scope-error" : undefined}>
          <legend className="text-sm font-semibold text-brand-deep">Scope</legend>
          <div className="mt-1 space-y-1">
            {(["read", "read_write"] as const).map((scope) => (
              <label key={scope} className="flex items-center gap-2 text-sm">
                <input type="radio" name="scope" value={scope} defaultChecked={(values.scope ?? "read") === scope} />
                {SCOPE_WORDS[scope]}
                <span className="text-slate-500">
                  {scope === "read" ? "(can look, cannot change anything)" : "(can also start chats, send messages, end sessions)"}
                </span>
              </label>
            ))}
          </div>
          {state.fieldErrors?.scope ? (
            <p id="access-token-scope-error" className="mt-1 text-sm text-red-700">
              {state.fieldErrors.scope[0]}
            </p>
          ) : null}
        </fieldset>
      </div>
      <button type="submit" disabled={pending} className="btn btn-primary">
        {pending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

function RevokeButton({ token }: { token: AccessTokenSummary }) {
  const [state, formAction, pending] = useActionState<AccessTokenActionState, FormData>(revokeAccessTokenAction, {});
  return (
    <form action={formAction}>
      <input type="hidden" name="id" value={token.id} />
      <button type="submit" disabled={pending} className="btn btn-danger" aria-label={`Revoke token ${token.name}`}>
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {state.message && !state.ok ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

export function AccessTokenList({ tokens }: { tokens: AccessTokenSummary[] }) {
  if (tokens.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="no-access-tokens">
        No tokens yet.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-200" data-testid="access-tokens">
      {tokens.map((token) => (
        <li key={token.id} className="flex items-start justify-between gap-4 py-3" data-testid="access-token">
          <div className="text-sm">
            <p className="font-semibold text-brand-deep">{token.name}</p>
            <p className="text-slate-600">
              {SCOPE_WORDS[token.scope]} · expires <LocalTime iso={token.expiresAt} /> ·{" "}
              {token.lastUsedAt ? (
                <>
                  last used <LocalTime iso={token.lastUsedAt} />
                </>
              ) : (
                "never used"
              )}
            </p>
          </div>
          <RevokeButton token={token} />
        </li>
      ))}
    </ul>
  );
}
