import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { csvCell, eventFilterSchema, exportEvents, listEvents } from "@/lib/monitor/event-log";
import { recordEvent } from "@/lib/monitor/events";
import { makeUser } from "./support";

const T0 = new Date("2026-11-23T09:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const filter = (raw: Record<string, string>) => eventFilterSchema.parse(raw);

describe("the audit log", () => {
  it("filters by user (their events and sign-ins typed with their name), type, address and UTC time, newest first, a page at a time", async () => {
    const user = await makeUser();
    const other = await makeUser();
    await recordEvent(
      getDb(),
      "login_failed",
      { subject: user.username.toUpperCase(), ip: "198.51.100.4", at: at(0) },
      { essential: true },
    );
    await recordEvent(
      getDb(),
      "login_succeeded",
      { userId: user.id, subject: user.username, ip: "198.51.100.4", at: at(1) },
      { essential: true },
    );
    await recordEvent(getDb(), "logout", { userId: user.id, ip: "203.0.113.9", at: at(30) });
    await recordEvent(getDb(), "logout", { userId: other.id, ip: "203.0.113.9", at: at(31) });

    const mine = await listEvents(getDb(), filter({ user: user.username.toUpperCase() }), 10);
    expect(mine.map((e) => e.type)).toEqual(["logout", "login_succeeded", "login_failed"]);
    expect(mine[0]).toMatchObject({ username: user.username, ip: "203.0.113.9" });

    expect((await listEvents(getDb(), filter({ ip: "203.0.113.9" }), 10)).map((e) => e.userId)).toEqual([other.id, user.id]);
    expect(await listEvents(getDb(), filter({ user: user.username, type: "logout" }), 10)).toHaveLength(1);
    const window = filter({ user: user.username, from: "2026-11-23T09:01", to: "2026-11-23T09:29" });
    expect((await listEvents(getDb(), window, 10)).map((e) => e.type)).toEqual(["login_succeeded"]);

    const [newest] = await listEvents(getDb(), filter({ user: user.username }), 1);
    const older = await listEvents(getDb(), filter({ user: user.username, before: String(newest!.id) }), 10);
    expect(older.map((e) => e.type)).toEqual(["login_succeeded", "login_failed"]);
  });

  it("refuses a bad filter with words a person reads", () => {
    const problems = (raw: Record<string, string>) => eventFilterSchema.safeParse(raw).error?.issues.map((i) => i.message);
    expect(problems({ type: "no_such_event" })).toEqual(["Choose an event type from the list."]);
    expect(problems({ from: "yesterday" })).toEqual(["Use a date such as 2026-12-03 or 2026-12-03T14:30 (UTC)."]);
    expect(problems({ from: "2026-12-03", to: "2026-12-01" })).toEqual(["“From” must be before “To”."]);
    expect(problems({ user: "a\u0000b" })).toHaveLength(1);
    expect(eventFilterSchema.parse({ user: "", type: "", ip: "", from: "", to: "", before: "" })).toEqual({});
  });

  it("exports CSV and JSON that hold every matching event once, and says when the export was cut", async () => {
    const user = await makeUser();
    for (let i = 0; i < 5; i++) await recordEvent(getDb(), "session_accessed", { userId: user.id, ip: "192.0.2.1", at: at(i) });
    await recordEvent(getDb(), "new_device", { userId: user.id, userAgent: '=HYPERLINK("x"), "quoted"', at: at(9) });
    const read = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

    const json = JSON.parse(await read(exportEvents(getDb(), filter({ user: user.username }), "json")));
    expect(json).toMatchObject({ count: 6, truncated: false });
    expect(new Set(json.events.map((e: { id: number }) => e.id)).size).toBe(6);

    const csv = (await read(exportEvents(getDb(), filter({ user: user.username }), "csv"))).trimEnd().split("\r\n");
    expect(csv[0]).toBe("id,at,type,userId,username,subject,ip,userAgent,details");
    expect(csv).toHaveLength(7);
    expect(csv[1]).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);

    const cut = JSON.parse(await read(exportEvents(getDb(), filter({ user: user.username }), "json", 4)));
    expect(cut).toMatchObject({ count: 4, truncated: true });
    const exact = JSON.parse(await read(exportEvents(getDb(), filter({ user: user.username }), "json", 6)));
    expect(exact).toMatchObject({ count: 6, truncated: false });
    expect((await read(exportEvents(getDb(), filter({ user: user.username }), "csv", 2))).trimEnd().split("\r\n").at(-1)).toBe(
      "# cut at 2 events: narrow the filter for the rest",
    );
  });

  it("never lets a cell start a spreadsheet formula", () => {
    expect(["=1+1", "+1", "-1", "@x", "plain", 'say "hi"', null].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@x",
      "plain",
      '"say ""hi"""',
      "",
    ]);
  });
});
