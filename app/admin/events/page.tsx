import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/_components/local-time";
import { getDb } from "@/lib/db/client";
import { eventFilterSchema, eventJson, listEvents, type EventFilter } from "@/lib/monitor/event-log";
import { securityEventTypes } from "@/lib/monitor/events";
import { requireAdmin } from "@/lib/sessions/dal";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 100;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The filter as typed, for the form, the "older" link and the export links (never the page cursor). */
function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function typedFilter(raw: Record<string, string | string[] | undefined>): Record<"user" | "type" | "ip" | "from" | "to", string> {
  return { user: first(raw.user), type: first(raw.type), ip: first(raw.ip), from: first(raw.from), to: first(raw.to) };
}

function query(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  return params.toString();
}

/** /admin/events: every security event, including each administrator's actions, filtered and exportable. */
export default async function AuditLogPage({ searchParams }: Props) {
  await requireAdmin();
  const raw = await searchParams;
  const typed = typedFilter(raw);
  const parsed = eventFilterSchema.safeParse({ ...typed, before: first(raw.before) });
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  const filter: EventFilter | null = parsed.success ? parsed.data : null;
  const rows = filter ? await listEvents(getDb(), filter, PAGE_SIZE + 1) : [];
  const events = rows.slice(0, PAGE_SIZE).map(eventJson);
  const older = rows.length > PAGE_SIZE ? events.at(-1)?.id : undefined;

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-deep">Audit log</h1>
      <form method="get" action="/admin/events" className="card grid gap-4 p-6 sm:grid-cols-2 lg:grid-cols-5" aria-label="Filter events">
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
          User
          <input
            name="user"
            defaultValue={typed.user}
            className="rounded border border-slate-300 px-2 py-1.5 font-normal"
            autoComplete="off"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
          Event type
          <select name="type" defaultValue={typed.type} className="rounded border border-slate-300 px-2 py-1.5 font-normal">
            <option value="">All types</option>
            {securityEventTypes.map((type) => (
              <option key={type} value={type}>
                {type.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
          Address
          <input
            name="ip"
            defaultValue={typed.ip}
            className="rounded border border-slate-300 px-2 py-1.5 font-mono font-normal"
            autoComplete="off"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
          From (UTC)
          <input
            name="from"
            type="datetime-local"
            defaultValue={typed.from}
            className="rounded border border-slate-300 px-2 py-1.5 font-normal"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
          To (UTC)
          <input
            name="to"
            type="datetime-local"
            defaultValue={typed.to}
            className="rounded border border-slate-300 px-2 py-1.5 font-normal"
          />
        </label>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5">
          <button type="submit" className="btn btn-primary">
            Filter
          </button>
          <Link href="/admin/events" className="btn btn-secondary">
            Clear
          </Link>
          <span className="ml-auto flex gap-3 text-sm">
            <a href={`/api/session/events/export?${query(typed, { format: "csv" })}`} className="font-semibold text-brand-ink underline">
              Export CSV
            </a>
            <a href={`/api/session/events/export?${query(typed, { format: "json" })}`} className="font-semibold text-brand-ink underline">
              Export JSON
            </a>
          </span>
        </div>
      </form>

      <div aria-live="polite">
        {problems.length > 0 ? (
          <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800" data-testid="events-error">
            {problems.join(" ")}
          </div>
        ) : null}
      </div>

      <section className="card p-6" aria-labelledby="events-title">
        <h2 id="events-title" className="text-xl font-bold text-brand-deep">
          {filter?.before ? "Older events" : "Latest events"}
        </h2>
        {filter && events.length === 0 ? <p className="mt-3 text-slate-600">No events match this filter.</p> : null}
        <ul className="mt-3 divide-y divide-slate-100" data-testid="events">
          {events.map((event) => (
            <li key={event.id} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 py-2 text-sm" data-testid="event">
              <span className="text-slate-600">
                <LocalTime iso={event.at} />
              </span>
              <span className="font-semibold text-brand-deep">{event.type.replaceAll("_", " ")}</span>
              {(event.username ?? event.subject) ? <span>{event.username ?? event.subject}</span> : null}
              {event.ip ? <span className="font-mono text-slate-700">{event.ip}</span> : null}
              {Object.keys(event.details).length > 0 ? (
                <code className="basis-full break-all text-xs text-slate-600">{JSON.stringify(event.details)}</code>
              ) : null}
            </li>
          ))}
        </ul>
        {older ? (
          <Link href={`/admin/events?${query(typed, { before: String(older) })}`} className="btn btn-secondary mt-4 inline-block">
            Older events
          </Link>
        ) : null}
      </section>
    </div>
  );
}
