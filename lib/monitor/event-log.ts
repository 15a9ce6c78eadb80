import "server-only";
import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/lib/db/client";
import { securityEvents, users } from "@/lib/db/schema";
import { normalizeIp } from "@/lib/http/client-ip";
import { text } from "@/lib/validation/text";
import { securityEventTypes } from "./events";

/**
 * The audit log: security events filtered by user, type, address and time, newest first, read a page at a time
 * (keyset on the id, so a page costs the same at any depth) for /admin/events and its CSV/JSON export.
 */

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const utcTime = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, { message: "Use a date such as 2026-12-03 or 2026-12-03T14:30 (UTC)." })
    .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : `${value}Z`))
    .refine((date) => !Number.isNaN(date.getTime()), { message: "That date does not exist." })
    .optional(),
);

export const eventFilterSchema = z
  .object({
    user: z.preprocess(emptyAsUndefined, text().trim().max(64).optional()),
    type: z.preprocess(emptyAsUndefined, z.enum(securityEventTypes, { message: "Choose an event type from the list." }).optional()),
    ip: z.preprocess(emptyAsUndefined, text().trim().max(64).optional()),
    from: utcTime,
    to: utcTime,
    before: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "“From” must be before “To”.", path: ["to"] });

export type EventFilter = z.output<typeof eventFilterSchema>;
export type EventRow = Awaited<ReturnType<typeof listEvents>>[number];

/** Up to `limit` events matching the filter, newest first, older than the `before` id when given. */
export async function listEvents(db: Queryable, filter: EventFilter, limit: number) {
  const conditions: (SQL | undefined)[] = [
    filter.type ? eq(securityEvents.type, filter.type) : undefined,
    filter.ip ? eq(securityEvents.ip, normalizeIp(filter.ip)) : undefined,
    filter.from ? gte(securityEvents.at, filter.from) : undefined,
    filter.to ? lte(securityEvents.at, filter.to) : undefined,
    filter.before ? lt(securityEvents.id, filter.before) : undefined,
  ];
  if (filter.user) {
    // A user is their account's events, and the sign-in attempts typed with their name (even unknown names).
    const name = filter.user.toLowerCase();
    const [account] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = ${name}`)
      .limit(1);
    conditions.push(
      account ? or(eq(securityEvents.userId, account.id), eq(securityEvents.subject, name)) : eq(securityEvents.subject, name),
    );
  }
  return db
    .select({
      id: securityEvents.id,
      at: securityEvents.at,
      type: securityEvents.type,
      userId: securityEvents.userId,
      username: users.username,
      subject: securityEvents.subject,
      ip: securityEvents.ip,
      userAgent: securityEvents.userAgent,
      details: securityEvents.details,
    })
    .from(securityEvents)
    .leftJoin(users, eq(users.id, securityEvents.userId))
    .where(and(...conditions))
    .orderBy(desc(securityEvents.id))
    .limit(limit);
}

/** An event as the page and the exports show it (the session reference stays out: it is only for correlation). */
export function eventJson(row: EventRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    type: row.type,
    userId: row.userId,
    username: row.username,
    subject: row.subject,
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details,
  };
}

/** The most an export holds: beyond it, narrow the filter (the file says so in its last line or field). */
export const MAX_EXPORT_ROWS = 50_000;
const EXPORT_PAGE = 1_000;

const CSV_COLUMNS = ["id", "at", "type", "userId", "username", "subject", "ip", "userAgent", "details"] as const;

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: unknown): string {
  let cell = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * The filtered log as a stream of CSV or JSON, read a page at a time so memory stays flat, and cut at
 * MAX_EXPORT_ROWS with a note saying so.
 */
export function exportEvents(
  db: Queryable,
  filter: EventFilter,
  format: "csv" | "json",
  maxRows = MAX_EXPORT_ROWS,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before = filter.before;
  let sent = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(format === "csv" ? `${CSV_COLUMNS.join(",")}\r\n` : '{"events":['));
      }
      const room = maxRows - sent;
      if (room > 0) {
        const rows = await listEvents(db, { ...filter, before }, Math.min(EXPORT_PAGE, room));
        for (const row of rows) {
          const json = eventJson(row);
          const line =
            format === "csv"
              ? `${CSV_COLUMNS.map((column) => csvCell(json[column])).join(",")}\r\n`
              : `${sent > 0 ? "," : ""}${JSON.stringify(json)}`;
          controller.enqueue(encoder.encode(line));
          sent += 1;
        }
        before = rows.at(-1)?.id ?? before;
        // A full page may have more behind it: the next pull reads on.
        if (rows.length === Math.min(EXPORT_PAGE, room)) return;
      }
      const truncated = room <= 0 && (await listEvents(db, { ...filter, before }, 1)).length > 0;
      const ending =
        format === "json"
          ? `],"count":${sent},"truncated":${truncated}}`
          : truncated
            ? `# cut at ${maxRows} events: narrow the filter for the rest\r\n`
            : "";
      if (ending) controller.enqueue(encoder.encode(ending));
      controller.close();
    },
  });
}
