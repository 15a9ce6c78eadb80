import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { LocalTime } from "@/app/_components/local-time";
import { liveSessionsOf } from "@/lib/admin/user-admin";
import { describeDevice } from "@/lib/auth/new-device";
import { findUserById } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { eventJson, listEvents } from "@/lib/monitor/event-log";
import { requireAdmin } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import {
  endSessionAction,
  endSessionsAction,
  resetPasswordAction,
  resetSecondFactorsAction,
  setDisabledAction,
  setRoleAction,
  unlockAction,
} from "../actions";
import { UserActionForm } from "../user-forms";

export const metadata: Metadata = { title: "User" };

const INPUT = "rounded-lg border border-slate-300 px-3 py-2";

/** One account: what it is, its live sessions and recent events, and what an administrator may change. */
export default async function UserPage({ params }: { params: Promise<{ userId: string }> }) {
  const admin = await requireAdmin();
  const id = z.uuid().safeParse((await params).userId);
  const account = id.success ? await findUserById(getDb(), id.data) : undefined;
  if (!account) notFound();
  const { now } = await getRequestContext();
  const [sessions, events] = await Promise.all([
    liveSessionsOf(getDb(), account.id, now),
    listEvents(getDb(), { user: account.username }, 20),
  ]);
  const self = account.id === admin.id;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/users" className="text-sm font-semibold text-brand-ink underline">
          All users
        </Link>
        <h1 className="mt-2 text-2xl font-bold text-brand-deep">{account.username}</h1>
        <p className="text-sm text-slate-700" data-testid="account-summary">
          {account.role === "admin" ? "Administrator" : "User"} · {account.disabledAt ? "Disabled" : "Active"} ·{" "}
          {account.mfaEnabledAt ? "two-step verification on" : "no second factor"} · created{" "}
          <LocalTime iso={account.createdAt.toISOString()} />
        </p>
      </div>

      <section className="card grid gap-6 p-6 md:grid-cols-2" aria-labelledby="manage-title">
        <h2 id="manage-title" className="text-xl font-bold text-brand-deep md:col-span-2">
          Manage
        </h2>
        {self ? (
          <p className="text-sm text-slate-600 md:col-span-2">
            This is your own account: another administrator changes its role, status and password (yours is on your Account page).
          </p>
        ) : (
          <>
            <UserActionForm
              action={setDisabledAction.bind(null, account.id, !account.disabledAt)}
              label={account.disabledAt ? "Enable account" : "Disable account"}
              pendingLabel="Saving…"
              testId="toggle-disabled"
              danger={!account.disabledAt}
            />
            <UserActionForm action={setRoleAction.bind(null, account.id)} label="Change role" pendingLabel="Saving…" testId="change-role">
              <label className="flex flex-col gap-1 text-sm font-semibold text-brand-deep">
                Role
                <select name="role" defaultValue={account.role} className={INPUT}>
                  <option value="user">User</option>
                  <option value="admin">Administrator</option>
                </select>
              </label>
            </UserActionForm>
          </>
        )}
        {self ? null : (
          <UserActionForm
            action={resetPasswordAction.bind(null, account.id)}
            label="Set new password"
            pendingLabel="Saving…"
            testId="reset-password"
          >
            <label className="flex flex-col gap-1 text-sm font-semibold text-brand-deep">
              New password
              <input name="password" type="password" autoComplete="new-password" required className={INPUT} />
            </label>
          </UserActionForm>
        )}
        <UserActionForm action={unlockAction.bind(null, account.id)} label="Lift sign-in locks" pendingLabel="Lifting…" testId="unlock" />
        {self ? null : (
          <UserActionForm
            action={resetSecondFactorsAction.bind(null, account.id)}
            label="Reset two-step verification"
            pendingLabel="Resetting…"
            testId="reset-mfa"
            danger
          />
        )}
      </section>

      <section className="card p-6" aria-labelledby="sessions-title">
        <h2 id="sessions-title" className="text-xl font-bold text-brand-deep">
          Live sessions ({sessions.length})
        </h2>
        {sessions.length === 0 ? <p className="mt-3 text-slate-600">No live sessions.</p> : null}
        <ul className="mt-3 divide-y divide-slate-100" data-testid="account-sessions">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap gap-x-4 gap-y-1 py-2 text-sm" data-testid="account-session">
              <span className="font-semibold">{describeDevice(session.userAgent, session.clientIp)}</span>
              <span className="text-slate-600">{session.kind}</span>
              <span className="text-slate-600">
                active <LocalTime iso={session.lastActivityAt.toISOString()} />
              </span>
              {session.suspiciousSeverity ? <span className="font-semibold text-red-800">Flagged {session.suspiciousSeverity}</span> : null}
              <span className="basis-full">
                <UserActionForm
                  action={endSessionAction.bind(null, account.id, session.id)}
                  label="End this session"
                  pendingLabel="Ending…"
                  testId="end-session"
                  danger
                />
              </span>
            </li>
          ))}
        </ul>
        {sessions.length > 0 ? (
          <div className="mt-4">
            <UserActionForm
              action={endSessionsAction.bind(null, account.id)}
              label="Sign out everywhere"
              pendingLabel="Signing out…"
              testId="end-sessions"
              danger
            >
              <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm font-semibold text-brand-deep">
                Reason (recorded)
                <input name="reason" required maxLength={500} className={INPUT} />
              </label>
            </UserActionForm>
          </div>
        ) : null}
      </section>

      <section className="card p-6" aria-labelledby="events-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="events-title" className="text-xl font-bold text-brand-deep">
            Recent security events
          </h2>
          <Link
            href={`/admin/events?user=${encodeURIComponent(account.username)}`}
            className="text-sm font-semibold text-brand-ink underline"
          >
            All in the audit log
          </Link>
        </div>
        {events.length === 0 ? <p className="mt-3 text-slate-600">No events yet.</p> : null}
        <ul className="mt-3 divide-y divide-slate-100" data-testid="account-events">
          {events.map(eventJson).map((event) => (
            <li key={event.id} className="flex flex-wrap gap-x-4 gap-y-1 py-2 text-sm">
              <span className="text-slate-600">
                <LocalTime iso={event.at} />
              </span>
              <span className="font-semibold text-brand-deep">{event.type.replaceAll("_", " ")}</span>
              {event.ip ? <span className="font-mono text-slate-700">{event.ip}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
