"use client";

import { useActionState } from "react";
import { unlinkSsoAction, type AccountActionState } from "./actions";

export function UnlinkSsoButton({ id, label }: { id: string; label: string }) {
  const [state, formAction, pending] = useActionState<AccountActionState, FormData>(unlinkSsoAction, {});
  return (
    <form action={formAction}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className="btn btn-secondary" aria-label={`Unlink ${label}`}>
        {pending ? "Unlinking…" : "Unlink"}
      </button>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`mt-1 text-sm ${state.ok ? "text-emerald-800" : "text-red-700"}`}
          data-testid="sso-unlink-message"
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
