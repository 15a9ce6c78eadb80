import type { Metadata } from "next";
import Link from "next/link";
import QRCode from "qrcode";
import { LocalTime } from "@/app/_components/local-time";
import { getDb } from "@/lib/db/client";
import { factorSummary } from "@/lib/mfa/factors";
import { RECOVERY_CODE_COUNT } from "@/lib/mfa/recovery-codes";
import { pendingTotpEnrolment } from "@/lib/mfa/totp-factor";
import { SECOND_FACTOR_MESSAGE } from "@/lib/policies/second-factor";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { requireSecondFactorManager } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { AddPasskeyForm, RegenerateCodesForm, RemovePasskeyForm, RenamePasskeyForm, TotpSection } from "./factor-forms";

export const metadata: Metadata = { title: "Two-step verification" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const single = (value: string | string[] | undefined) => (typeof value === "string" ? value : null);

export default async function SecondFactorPage({ searchParams }: Props) {
  const { current, owed } = await requireSecondFactorManager();
  const params = await searchParams;
  // Where a forced enrolment continues to (kept in the address, so it survives the page refreshing as it completes).
  const next = single(params.next) ? safeNextPath(single(params.next), "/dashboard") : owed ? "/dashboard" : null;
  const db = getDb();
  const { now } = await getRequestContext();
  const factors = await factorSummary(db, current.user.id);
  const settingUpTotp = !factors.totp && (owed || single(params.setup) === "totp");
  const enrolment = settingUpTotp ? await pendingTotpEnrolment(db, current.user, current.session.id, now) : null;
  const qr = enrolment ? await QRCode.toString(enrolment.uri, { type: "svg", margin: 1, errorCorrectionLevel: "M", width: 192 }) : null;
  const left = single(params.left);
  const notice =
    single(params.notice) === "recovery_code_used" && left !== null && /^\d{1,2}$/.test(left)
      ? `You signed in with a recovery code. ${left} of ${RECOVERY_CODE_COUNT} left${Number(left) <= 3 ? ": make new ones below." : "."}`
      : null;

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-2xl font-bold text-brand-deep">Two-step verification</h1>
        {owed ? null : (
          <Link href="/account" className="text-sm font-semibold text-brand-ink hover:underline">
            Back to account
          </Link>
        )}
      </div>
      {owed ? (
        <p
          role="status"
          data-testid="enrolment-required"
          className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900"
        >
          {SECOND_FACTOR_MESSAGE.enrol} Add a passkey or an authenticator app below.
        </p>
      ) : (
        <p className="text-slate-600">
          A second factor keeps your account safe even if someone learns your password. Passkeys are the strongest choice: they cannot be
          phished.
        </p>
      )}
      {notice ? (
        <p role="status" data-testid="recovery-notice" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          {notice}
        </p>
      ) : null}

      <section className="card p-6" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title" className="text-lg font-bold text-brand-deep">
          Passkeys
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Sign in with your fingerprint, face or device PIN, with or without your password.
        </p>
        {factors.passkeys.length > 0 ? (
          <ul className="mb-6 space-y-4" aria-label="Your passkeys">
            {factors.passkeys.map((passkey) => (
              <li key={passkey.id} className="rounded-lg border border-slate-200 p-4" data-testid="passkey-item">
                <p className="font-semibold text-brand-deep">{passkey.name}</p>
                <p className="mt-1 text-xs text-slate-600">
                  Added <LocalTime iso={passkey.createdAt.toISOString()} />
                  {passkey.lastUsedAt ? (
                    <>
                      {" "}
                      · last used <LocalTime iso={passkey.lastUsedAt.toISOString()} />
                    </>
                  ) : null}
                  {passkey.backedUp ? " · synced across your devices" : " · on this device only"}
                </p>
                {owed ? null : (
                  <div className="mt-3 flex flex-wrap items-end justify-between gap-3">
                    <RenamePasskeyForm passkeyId={passkey.id} name={passkey.name} />
                    <RemovePasskeyForm passkeyId={passkey.id} name={passkey.name} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        <AddPasskeyForm
          next={next}
          suggestedName={factors.passkeys.length === 0 ? "My passkey" : `Passkey ${factors.passkeys.length + 1}`}
        />
      </section>

      <section className="card p-6" aria-labelledby="totp-title">
        <h2 id="totp-title" className="text-lg font-bold text-brand-deep">
          Authenticator app
        </h2>
        <TotpSection
          enabled={factors.totp}
          owed={owed}
          next={next}
          enrolment={enrolment && qr ? { secret: enrolment.secret.replace(/(.{4})/g, "$1 ").trim(), qrSvg: qr } : null}
        />
      </section>

      {factors.any && !owed ? (
        <section className="card p-6" aria-labelledby="recovery-title">
          <h2 id="recovery-title" className="text-lg font-bold text-brand-deep">
            Recovery codes
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600" data-testid="recovery-codes-left">
            {factors.recoveryCodesLeft} of {RECOVERY_CODE_COUNT} recovery codes left. Each signs you in once if you lose your device.
          </p>
          <RegenerateCodesForm />
        </section>
      ) : null}
    </div>
  );
}
