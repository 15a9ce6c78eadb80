import type { Metadata } from "next";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { requireUser, STEP_UP_WINDOW_MS } from "@/lib/sessions/dal";
import { ReauthCodeForm, ReauthForm, ReauthPasskey } from "./reauth-form";
import { getDb } from "@/lib/db/client";
import { factorSummary } from "@/lib/mfa/factors";
import { MINUTE_MS } from "@/lib/time";
import { getConfig } from "@/lib/config";
import { listIdentities } from "@/lib/sso/accounts";
import { isSsoFailureReason, SSO_FAILURE_MESSAGES } from "@/lib/sso/failures";

export const metadata: Metadata = { title: "Confirm your password" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ReauthPage({ searchParams }: Props) {
  const user = await requireUser();
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null, "/account");
  const factors = await factorSummary(getDb(), user.id);
  const sso = getConfig().sso;
  const linked = sso ? (await listIdentities(getDb(), user.id)).length > 0 : false;
  const ssoReason = typeof params.sso === "string" ? params.sso : null;
  return (
    <section className="card mx-auto mt-10 max-w-md p-8">
      <h1 className="text-2xl font-bold text-brand-deep">Confirm it’s you</h1>
      <p className="mt-2 text-sm text-slate-600">
        This is a sensitive action, so we ask for your password (or your second factor) again when you have not signed in within the last{" "}
        {STEP_UP_WINDOW_MS / MINUTE_MS} minutes. Signed in as <strong>{user.username}</strong>.
      </p>
      {isSsoFailureReason(ssoReason) ? (
        <p role="alert" data-testid="sso-error" className="mt-5 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {SSO_FAILURE_MESSAGES[ssoReason]}
        </p>
      ) : null}
      {sso && linked ? (
        <div className="mt-6">
          <a
            href={`/login/sso/start?${new URLSearchParams({ intent: "reauth", next }).toString()}`}
            className="btn btn-secondary w-full justify-center"
            data-testid="sso-reauth"
          >
            Confirm with {sso.displayName}
          </a>
        </div>
      ) : null}
      <div className="mt-6">
        <ReauthForm next={next} />
      </div>
      {factors.any ? (
        <div className="mt-6 space-y-5 border-t border-slate-200 pt-6">
          {factors.passkeys.length > 0 ? <ReauthPasskey next={next} /> : null}
          {factors.totp ? <ReauthCodeForm next={next} /> : null}
        </div>
      ) : null}
    </section>
  );
}
