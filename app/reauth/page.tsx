import type { Metadata } from "next";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { requireUser, STEP_UP_WINDOW_MS } from "@/lib/sessions/dal";
import { ReauthCodeForm, ReauthForm, ReauthPasskey } from "./reauth-form";
import { getDb } from "@/lib/db/client";
import { factorSummary } from "@/lib/mfa/factors";
import { MINUTE_MS } from "@/lib/time";

export const metadata: Metadata = { title: "Confirm your password" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ReauthPage({ searchParams }: Props) {
  const user = await requireUser();
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null, "/account");
  const factors = await factorSummary(getDb(), user.id);
  return (
    <section className="card mx-auto mt-10 max-w-md p-8">
      <h1 className="text-2xl font-bold text-brand-deep">Confirm it’s you</h1>
      <p className="mt-2 text-sm text-slate-600">
        This is a sensitive action, so we ask for your password (or your second factor) again when you have not signed in within the last{" "}
        {STEP_UP_WINDOW_MS / MINUTE_MS} minutes. Signed in as <strong>{user.username}</strong>.
      </p>
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
