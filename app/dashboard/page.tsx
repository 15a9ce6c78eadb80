import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/sessions/dal";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  return (
    <div className="space-y-8">
      <div className="card flex flex-wrap items-center justify-between gap-4 p-5">
        <h1 className="text-2xl font-bold text-brand-deep">Welcome back, {user.username}!</h1>
        <div className="flex flex-wrap gap-3">
          <Link href="/account" className="btn btn-secondary">Account security</Link>
          <form method="post" action="/logout">
            <button type="submit" className="btn btn-secondary">Logout</button>
          </form>
        </div>
      </div>
      <section className="card p-8" aria-labelledby="sessions-title">
        <h2 id="sessions-title" className="text-xl font-bold text-brand-deep">Your Recent Sessions</h2>
        <p className="mt-6 text-center text-slate-600">No chat sessions yet.</p>
      </section>
    </div>
  );
}
