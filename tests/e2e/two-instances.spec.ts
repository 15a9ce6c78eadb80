import { and, inArray, isNotNull, sql } from "drizzle-orm";
import { createPool } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import { sessionRef } from "@/lib/monitor/session-ref";
import { expect, makeUser, test } from "./support/fixtures";
import { formFieldsWith, loginFormFields, signInFields } from "./support/login-form";
import { mailTo } from "./support/mailbox";
import { nextTotpCode } from "./support/second-factor";
import { E2E_SERVER_ENV, SERVER, startServer, type RunningServer } from "./support/server";

/**
 * Two instances on one database, as behind a load balancer: both serve one origin (APP_URL), which B is reached
 * by through the trusted proxy header. Whatever one instance decides, the other sees at once.
 */
test.describe.configure({ mode: "default" });

const ORIGIN = "http://localhost:3107";
const A = "http://127.0.0.1:3107";
const B = "http://127.0.0.1:3108";
let instances: RunningServer[] = [];
// Both instances mail the run's SMTP server; alerts go to an address of this file's own.
const ALERTS_TO = "security-two-instances@growbal.test";
const MAIL = { SMTP_URL: process.env.E2E_SMTP_URL ?? "", ALERT_EMAIL_TO: ALERTS_TO };

test.beforeAll(async () => {
  instances = await Promise.all(
    [A, B].map((url, i) =>
      startServer({
        command: SERVER,
        baseURL: url,
        env: { ...E2E_SERVER_ENV, ...MAIL, PORT: new URL(url).port, APP_URL: ORIGIN },
        log: `e2e-server-instance-${"AB"[i]}.log`,
        timeoutMs: 120_000,
      }),
    ),
  );
});

test.afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
});

/** Headers for a request to either instance, as the shared origin's proxy would send it. */
function via(ip: string, cookie?: string): Record<string, string> {
  return { "x-forwarded-host": new URL(ORIGIN).host, "x-forwarded-for": ip, origin: ORIGIN, ...(cookie ? { cookie } : {}) };
}

function loginFields(instance: string): Promise<[string, string][]> {
  return loginFormFields(instance, via("203.0.113.70"));
}

/** A no-JavaScript sign-in on one instance: the session cookie, or null. */
async function signIn(
  instance: string,
  fields: [string, string][],
  username: string,
  password: string,
  ip: string,
): Promise<string | null> {
  const form = new FormData();
  for (const [name, value] of signInFields(fields, username, password)) form.append(name, value);
  const response = await fetch(`${instance}/login`, { method: "POST", body: form, headers: via(ip), redirect: "manual" });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("growbal_session="));
  return response.status === 303 && cookie ? cookie.split(";")[0]! : null;
}

/** The second step over HTTP, as a browser without JavaScript posts the code form: the full session's cookie. */
async function giveTotpCode(instance: string, pendingCookie: string, ip: string, secret: string): Promise<string> {
  const html = await (await fetch(`${instance}/login/verify`, { headers: via(ip, pendingCookie) })).text();
  const form = new FormData();
  for (const [name, value] of formFieldsWith(html, 'name="factor" value="totp"')) form.append(name, value);
  form.append("code", nextTotpCode(secret, Date.now()));
  const response = await fetch(`${instance}/login/verify`, {
    method: "POST",
    body: form,
    headers: via(ip, pendingCookie),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("growbal_session="));
  expect(response.status).toBe(303);
  return cookie!.split(";")[0]!;
}

async function me(instance: string, cookie: string, ip = "203.0.113.70") {
  return fetch(`${instance}/api/session/me`, { headers: via(ip, cookie) });
}

test("a session made on A works on B, and ended on A it is refused on B at once", async () => {
  const user = await makeUser();
  const fields = await loginFields(A);
  const first = (await signIn(A, fields, user.username, user.password, "203.0.113.70"))!;
  const second = (await signIn(A, fields, user.username, user.password, "203.0.113.70"))!;
  const onB = await me(B, first);
  expect(onB.status).toBe(200);
  const firstId = ((await onB.json()) as { session: { id: string } }).session.id;

  // Ended on A from the other session (a recent sign-in, so no step-up)…
  const ended = await fetch(`${A}/api/session/me/sessions/${firstId}`, { method: "DELETE", headers: via("203.0.113.70", second) });
  expect(ended.status).toBe(200);
  // …B, which has just unsealed that very cookie, refuses it on the next request.
  const after = await me(B, first);
  expect(after.status).toBe(401);
  expect(((await after.json()) as { error: { code: string } }).error.code).toBeTruthy();
});

test("10 sign-ins racing across A and B leave exactly the concurrency limit", async () => {
  const user = await makeUser();
  const [fieldsA, fieldsB] = await Promise.all([loginFields(A), loginFields(B)]);
  const cookies = await Promise.all(
    Array.from({ length: 10 }, (_, i) => signIn(i % 2 ? B : A, i % 2 ? fieldsB : fieldsA, user.username, user.password, "203.0.113.71")),
  );
  expect(cookies.filter(Boolean)).toHaveLength(10);
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const [row] = await pool.db
      .select({ live: sql<number>`count(*) filter (where ${authSessions.revokedAt} is null)::int` })
      .from(authSessions)
      .where(sql`${authSessions.userId} = ${user.id}`);
    expect(row?.live).toBe(5);
  } finally {
    await pool.sql.end();
  }
});

test("cleanups started on A and B at once end each stale session once; an alert raised on A is on B's admin API", async () => {
  test.slow(); // twenty password checks
  const admin = await makeUser("admin");
  const fields = await loginFields(A);
  const pendingCookie = (await signIn(A, fields, admin.username, admin.password, "203.0.113.72"))!;
  const adminCookie = await giveTotpCode(A, pendingCookie, "203.0.113.72", admin.totpSecret!);

  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const stale = await pool.db
      .insert(authSessions)
      .values(
        Array.from({ length: 200 }, (_, i) => ({
          tokenHash: `two-instances-${Date.now()}-${i}`,
          kind: "anonymous" as const,
          createdAt: new Date(Date.now() - 7_200_000),
          lastActivityAt: new Date(Date.now() - 7_200_000),
          expiresAt: new Date(Date.now() - 3_600_000),
        })),
      )
      .returning({ id: authSessions.id });
    const ids = stale.map((s) => s.id);
    const runs = await Promise.all(
      [A, B].map((instance) => fetch(`${instance}/api/session/cleanup/run`, { method: "POST", headers: via("203.0.113.72", adminCookie) })),
    );
    for (const run of runs) expect(run.status).toBe(200);
    const ended = await pool.db
      .select({ id: authSessions.id })
      .from(authSessions)
      .where(and(inArray(authSessions.id, ids), isNotNull(authSessions.revokedAt)));
    expect(ended).toHaveLength(200);
    // Events name sessions by a keyed reference, never by id.
    const revokedEvents = await pool.db
      .select({ session: securityEvents.sessionRef, n: sql<number>`count(*)::int` })
      .from(securityEvents)
      .where(inArray(securityEvents.sessionRef, ids.map(sessionRef)))
      .groupBy(securityEvents.sessionRef);
    // Every stale session was ended, by one run only: exactly one event each.
    expect(revokedEvents).toHaveLength(200);
    expect(revokedEvents.every((e) => e.n === 1)).toBe(true);
  } finally {
    await pool.sql.end();
  }

  // 20 failed sign-ins from one address on A: the address alert is raised there, and B's admin API lists it.
  const attacker = "198.51.100.73";
  for (let i = 0; i < 20; i++) expect(await signIn(A, fields, `nobody_${Date.now()}_${i}`, "wrong-password", attacker)).toBeNull();
  const alerts = await fetch(`${B}/api/session/alerts?limit=200`, { headers: via("203.0.113.72", adminCookie) });
  expect(alerts.status).toBe(200);
  const { alerts: list } = (await alerts.json()) as { alerts: { type: string; subject: string }[] };
  expect(list.some((a) => a.type === "failed_logins_per_ip" && a.subject === `ip:${attacker}`)).toBe(true);
  // The HIGH alert is mailed to the security address, once, by the instance that raised it.
  const subject = "[Growbal] HIGH security alert: failed_logins_per_ip";
  await expect.poll(async () => (await mailTo(ALERTS_TO)).filter((m) => m.subject === subject).length, { timeout: 20_000 }).toBe(1);
  const [mail] = (await mailTo(ALERTS_TO)).filter((m) => m.subject === subject);
  expect(mail?.text).toContain(attacker);
  expect(mail?.text).toContain(`${ORIGIN}/admin/security`);
});
