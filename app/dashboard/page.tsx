import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/_components/local-time";
import { countryName } from "@/lib/chat/countries";
import { serviceLabel } from "@/lib/chat/services";
import { getDb } from "@/lib/db/client";
import { loadDashboard } from "@/lib/dashboard/load-dashboard";
import { getCurrentSession, requireUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { DevicesPanel } from "./devices-panel";
import { recoveryCodesLeft } from "@/lib/mfa/recovery";
import { RECOVERY_CODE_COUNT } from "@/lib/mfa/recovery-codes";
import { NewDeviceNotices } from "./new-device-notices";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  const { now } = await getRequestContext();
  const current = await getCurrentSession();
  const { stats, chats, notices, failedAttempts } = await loadDashboard(getDb(), {
    userId: user.id,
    authSessionId: current!.session.id,
    now,
  });
  // Only accounts with a second factor have recovery codes to count (the dashboard's fixed queries stay four otherwise).
  const recoveryLeft = user.hasSecondFactor ? await recoveryCodesLeft(getDb(), user.id) : null;
  const cards = [
    { label: "Active chats", value: stats.activeSessions, testId: "stat-active" },
    { label: "Total Messages", value: stats.totalMessages, testId: "stat-messages" },
    { label: "Countries Explored", value: stats.countriesExplored, testId: "stat-countries" },
  ];

  return (
    <div className="space-y-8">
      <div className="card flex flex-wrap items-center justify-between gap-4 p-5">
        <h1 className="text-2xl font-bold text-brand-deep">Welcome back, {user.username}!</h1>
        <div className="flex flex-wrap gap-3">
          <Link href="/country" className="btn btn-primary">
            New Chat Session
          </Link>
          <Link href="/account" className="btn btn-secondary">
            Account security
          </Link>
          {user.role === "admin" ? (
            <Link href="/admin/security" className="btn btn-secondary">
              Security admin
            </Link>
          ) : null}
        </div>
      </div>

      {recoveryLeft !== null ? (
        <p
          data-testid="recovery-codes-status"
          className={`rounded-lg border px-4 py-3 ${recoveryLeft <= 3 ? "border-amber-300 bg-amber-50 text-amber-900" : "border-slate-200 bg-white text-slate-700"}`}
        >
          Two-step verification is on. {recoveryLeft} of {RECOVERY_CODE_COUNT} recovery codes left.{" "}
          <Link href="/account/security" className="font-semibold underline">
            {recoveryLeft <= 3 ? "Make new recovery codes" : "Manage second factors"}
          </Link>
        </p>
      ) : (
        <p data-testid="recovery-codes-status" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-slate-700">
          Protect your account with a passkey or an authenticator app.{" "}
          <Link href="/account/security" className="font-semibold underline">
            Set up two-step verification
          </Link>
        </p>
      )}

      {failedAttempts > 0 ? (
        <p
          role="status"
          data-testid="failed-attempts-notice"
          className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900"
        >
          There {failedAttempts === 1 ? "was 1 failed sign-in attempt" : `were ${failedAttempts} failed sign-in attempts`} on your account
          since you last signed in. If that was not you,{" "}
          <Link href="/account" className="font-semibold underline">
            choose a new password
          </Link>
          .
        </p>
      ) : null}

      <NewDeviceNotices notices={notices} />

      <dl className="grid gap-5 sm:grid-cols-3">
        {cards.map((card) => (
          <div key={card.label} className="card p-6 text-center">
            <dt className="text-slate-600">{card.label}</dt>
            <dd className="order-first mb-2 text-4xl font-bold text-brand" data-testid={card.testId}>
              {card.value}
            </dd>
          </div>
        ))}
      </dl>

      <section className="card p-6 sm:p-8" aria-labelledby="sessions-title">
        <h2 id="sessions-title" className="text-xl font-bold text-brand-deep">
          Your Recent Sessions
        </h2>
        {chats.length === 0 ? (
          <p className="mt-6 py-8 text-center text-slate-600">
            No chat sessions yet.{" "}
            <Link href="/country" className="font-semibold text-brand-ink hover:underline">
              Start your first session!
            </Link>
          </p>
        ) : (
          <ul className="mt-5 space-y-3" data-testid="recent-sessions">
            {chats.map((chat) => (
              <li
                key={chat.id}
                data-testid="chat-session"
                className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-100 p-4 transition hover:border-brand"
              >
                <div>
                  <p className="font-semibold text-brand-deep">
                    {countryName(chat.country)} - {serviceLabel(chat.serviceType)}
                  </p>
                  <p className="text-sm text-slate-600">
                    Created: <LocalTime iso={chat.createdAt.toISOString()} /> | Last active:{" "}
                    <LocalTime iso={chat.lastActivityAt.toISOString()} /> | Messages:{" "}
                    <span data-testid="message-count">{chat.messageCount}</span>
                  </p>
                </div>
                <div className="flex items-center gap-2">
                  <Link href={`/chat/${chat.id}`} className="btn btn-primary px-3 py-1.5 text-sm">
                    Continue
                  </Link>
                  {chat.expired ? (
                    <span className="rounded-lg border border-slate-300 bg-slate-50 px-3 py-1.5 text-sm text-slate-500">Expired</span>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <DevicesPanel />
    </div>
  );
}
