import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/_components/local-time";
import { listUsers } from "@/lib/admin/user-admin";
import { getDb } from "@/lib/db/client";
import { requireAdmin } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { CreateUserForm } from "./user-forms";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** /admin/users: find an account (username contains), open it, or create one. */
export default async function UsersPage({ searchParams }: Props) {
  await requireAdmin();
  const raw = (await searchParams).q;
  const search = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 64) ?? "";
  const accounts = await listUsers(getDb(), search, (await getRequestContext()).now);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-deep">Users</h1>
      <section className="card p-6" aria-labelledby="create-title">
        <h2 id="create-title" className="mb-3 text-xl font-bold text-brand-deep">
          Create a user
        </h2>
        <CreateUserForm />
      </section>
      <section className="card p-6" aria-labelledby="users-title">
        <h2 id="users-title" className="text-xl font-bold text-brand-deep">
          Accounts
        </h2>
        <form method="get" action="/admin/users" className="mt-3 flex flex-wrap items-end gap-3" role="search">
          <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
            Username contains
            <input name="q" defaultValue={search} className="rounded border border-slate-300 px-2 py-1.5 font-normal" autoComplete="off" />
          </label>
          <button type="submit" className="btn btn-secondary">
            Search
          </button>
        </form>
        {accounts.length === 0 ? <p className="mt-4 text-slate-600">No accounts match “{search}”.</p> : null}
        <ul className="mt-4 divide-y divide-slate-100" data-testid="users">
          {accounts.map((account) => (
            <li key={account.id} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 py-2 text-sm" data-testid="user-row">
              <Link href={`/admin/users/${account.id}`} className="font-semibold text-brand-ink underline">
                {account.username}
              </Link>
              <span>{account.role === "admin" ? "Administrator" : "User"}</span>
              {account.disabledAt ? <span className="font-semibold text-red-800">Disabled</span> : null}
              <span className="text-slate-600">
                {account.liveSessions} live {account.liveSessions === 1 ? "session" : "sessions"}
              </span>
              <span className="text-slate-600">
                since <LocalTime iso={account.createdAt.toISOString()} />
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
