import type { Metadata } from "next";
import Link from "next/link";
import { listAccessTokens } from "@/lib/auth/personal-access-tokens";
import { getDb } from "@/lib/db/client";
import { requireRecentAuth } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { AccessTokenList, CreateAccessTokenForm } from "./access-token-forms";
import { LocalTime } from "@/app/_components/local-time";
import { getConfig } from "@/lib/config";
import { listIdentities } from "@/lib/sso/accounts";
import { isSsoFailureReason, SSO_FAILURE_MESSAGES } from "@/lib/sso/failures";
import { UnlinkSsoButton } from "./sso-forms";
import { ChangePasswordForm, NotificationEmailForm, SignOutOthersForm } from "./account-forms";
import { notificationEmailOf } from "@/lib/auth/notification-email";

export const metadata: Metadata = { title: "Account security" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AccountPage({ searchParams }: Props) {
  const user = await requireRecentAuth();
  const params = await searchParams;
  const notice = params.notice;
  const tokens = await listAccessTokens(getDb(), user.id, (await getRequestContext()).now);
  const sso = getConfig().sso;
  const linked = await listIdentities(getDb(), user.id);
  const email = await notificationEmailOf(getDb(), user.id);
  const ssoReason = typeof params.sso === "string" ? params.sso : null;
  const ssoNotice =
    notice === "sso_linked"
      ? { ok: true, text: `${sso?.displayName ?? "Single sign-on"} is linked: you can sign in with it.` }
      : isSsoFailureReason(ssoReason)
        ? { ok: false, text: SSO_FAILURE_MESSAGES[ssoReason] }
        : null;
  const notMe =
    notice === "not_me"
      ? "We signed out that session. Change your password now so whoever it was cannot sign in again."
      : notice === "not_me_already_ended"
        ? "That session had already ended, so there was nothing to sign out. Change your password now so whoever it was cannot sign in again."
        : user.mustChangePassword
          ? "An administrator set your password. Choose your own to continue: the current password is the one they gave you."
          : null;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold text-brand-deep">Account security</h1>
        <Link href="/dashboard" className="text-sm font-semibold text-brand-ink hover:underline">
          Back to dashboard
        </Link>
      </div>
      {notMe ? (
        <p role="status" data-testid="not-me-notice" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          {notMe}
        </p>
      ) : null}
      <section className="card p-6" aria-labelledby="password-title">
        <h2 id="password-title" className="text-lg font-bold text-brand-deep">
          Change password
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Changing the password of <strong>{user.username}</strong> signs out every other device.
        </p>
        <ChangePasswordForm />
      </section>
      <section className="card p-6" aria-labelledby="email-title">
        <h2 id="email-title" className="text-lg font-bold text-brand-deep">
          Security notices by email
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          A sign-in from a device this account has not used is shown on your dashboard
          {email ? " and mailed to you" : "; add an address to have it mailed too"}.
          {linked.length > 0 ? " Signing in with single sign-on sets it to the provider's address." : ""}
        </p>
        <NotificationEmailForm current={email} />
      </section>
      <section className="card p-6" aria-labelledby="mfa-title">
        <h2 id="mfa-title" className="text-lg font-bold text-brand-deep">
          Two-step verification
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600" data-testid="mfa-status">
          {user.hasSecondFactor
            ? "On: signing in asks for your passkey or authenticator app after the password."
            : "Off: add a passkey or an authenticator app so a stolen password is not enough."}
        </p>
        <Link href="/account/security" className="btn btn-secondary" data-testid="manage-mfa">
          {user.hasSecondFactor ? "Manage second factors" : "Set up two-step verification"}
        </Link>
      </section>
      {sso || linked.length > 0 ? (
        <section className="card p-6" aria-labelledby="sso-title">
          <h2 id="sso-title" className="text-lg font-bold text-brand-deep">
            Single sign-on
          </h2>
          {ssoNotice ? (
            <p
              role={ssoNotice.ok ? "status" : "alert"}
              data-testid="sso-notice"
              className={`mt-3 rounded-lg border px-4 py-3 text-sm ${ssoNotice.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800"}`}
            >
              {ssoNotice.text}
            </p>
          ) : null}
          {linked.length === 0 ? (
            <p className="mt-1 mb-4 text-sm text-slate-600" data-testid="sso-none">
              Not linked. Link your {sso?.displayName} account to sign in with it (you will be asked to sign in there).
            </p>
          ) : (
            <ul className="mt-3 mb-4 divide-y divide-slate-200" data-testid="sso-identities">
              {linked.map((identity) => (
                <li key={identity.id} className="flex items-start justify-between gap-4 py-3 text-sm" data-testid="sso-identity">
                  <div>
                    <p className="font-semibold text-brand-deep">{identity.email ?? identity.issuer}</p>
                    <p className="text-slate-600">
                      {identity.issuer} · linked <LocalTime iso={identity.createdAt.toISOString()} />
                    </p>
                  </div>
                  <UnlinkSsoButton id={identity.id} label={identity.email ?? identity.issuer} />
                </li>
              ))}
            </ul>
          )}
          {sso ? (
            <a href="/login/sso/start?intent=link" className="btn btn-secondary" data-testid="sso-link">
              Link {sso.displayName} account
            </a>
          ) : null}
        </section>
      ) : null}
      <section className="card p-6" aria-labelledby="tokens-title">
        <h2 id="tokens-title" className="text-lg font-bold text-brand-deep">
          Personal access tokens
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          For scripts that call the JSON API (see <a href="/api/openapi.json">the API description</a>). A token works until it expires or
          you revoke it, whether or not it is used; changing your password revokes them all.
        </p>
        <AccessTokenList tokens={tokens} />
        <h3 className="mt-6 mb-2 font-semibold text-brand-deep">New token</h3>
        <CreateAccessTokenForm />
      </section>
      <section className="card p-6" aria-labelledby="devices-title">
        <h2 id="devices-title" className="text-lg font-bold text-brand-deep">
          Other devices
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">End every session of your account except this one.</p>
        <SignOutOthersForm />
      </section>
    </div>
  );
}
