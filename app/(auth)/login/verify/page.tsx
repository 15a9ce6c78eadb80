import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { factorSummary } from "@/lib/mfa/factors";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, getSessionOwingSecondFactor } from "@/lib/sessions/dal";
import { secondFactorUrl, SECOND_FACTOR_WINDOW_MINUTES } from "@/lib/policies/second-factor";
import { CodeForm, PasskeyStep } from "./verify-forms";

export const metadata: Metadata = { title: "Two-step verification" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerifyPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  const owing = await getSessionOwingSecondFactor();
  if (!owing) redirect((await getCurrentSession())?.user ? next : "/login");
  if (owing.secondFactor === "enrol") redirect(secondFactorUrl("enrol", next));
  const factors = await factorSummary(getDb(), owing.user.id);
  const hasPasskey = factors.passkeys.length > 0;

  return (
    <section className="card mx-auto mt-10 max-w-md p-8">
      <h1 className="text-2xl font-bold text-brand-deep">Two-step verification</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your password was right. To finish signing in as <strong>{owing.user.username}</strong>, confirm it’s you with your second factor
        within {SECOND_FACTOR_WINDOW_MINUTES} minutes.
      </p>
      <div className="mt-6 space-y-6">
        {hasPasskey ? <PasskeyStep next={next} primary={!factors.totp} /> : null}
        {factors.totp ? <CodeForm factor="totp" next={next} /> : null}
        <details className="rounded-lg border border-slate-200 p-4">
          <summary className="cursor-pointer text-sm font-semibold text-brand-deep">Lost your device? Use a recovery code</summary>
          <div className="mt-4">
            <CodeForm factor="recovery_code" next={next} />
          </div>
        </details>
        <form action="/logout" method="post">
          <button type="submit" className="text-sm font-semibold text-brand-ink underline">
            Cancel and sign out
          </button>
        </form>
      </div>
    </section>
  );
}
