import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { endReasonMessage } from "@/lib/sessions/end-reasons";
import { isSsoFailureReason, SSO_FAILURE_MESSAGES } from "@/lib/sso/failures";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { LoginForm, PasskeySignIn } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function single(value: string | string[] | undefined): string | null {
  return typeof value === "string" ? value : null;
}

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const rawNext = single(params.next);
  // Only a safe same-origin path is carried through the form; anything else falls back to the dashboard.
  const next = rawNext ? safeNextPath(rawNext) : null;
  const reason = single(params.reason);
  const notice = endReasonMessage(reason, single(params.after));
  const ssoReason = single(params.sso);
  const ssoError = isSsoFailureReason(ssoReason) ? SSO_FAILURE_MESSAGES[ssoReason] : null;
  const sso = getConfig().sso;
  // After a forced re-authentication the provider is asked for the password again, not a silent sign-in.
  const ssoHref = `/login/sso/start?${new URLSearchParams({
    ...(next ? { next } : {}),
    ...(reason === "reauth_required" ? { prompt: "login" } : {}),
  }).toString()}`;

  return (
    <section className="card mx-auto mt-10 max-w-md p-8">
      <h1 className="text-2xl font-bold text-brand-deep">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">Welcome back to Growbal Intelligence.</p>
      {notice ? (
        <p
          role="status"
          data-testid="login-notice"
          className="mt-5 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          {notice}
        </p>
      ) : null}
      {ssoError ? (
        <p role="alert" data-testid="sso-error" className="mt-5 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {ssoError}
        </p>
      ) : null}
      {sso ? (
        <div className="mt-6">
          {/* A plain link: the provider's page is a full navigation away. */}
          <a href={ssoHref} className="btn btn-secondary w-full justify-center" data-testid="sso-sign-in">
            Sign in with {sso.displayName}
          </a>
        </div>
      ) : null}
      <div className="mt-6">
        <LoginForm next={next} />
      </div>
      <div className="mt-6 border-t border-slate-200 pt-6">
        <PasskeySignIn next={next} />
      </div>
    </section>
  );
}
