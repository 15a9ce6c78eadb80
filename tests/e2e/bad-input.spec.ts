import fc from "fast-check";
import { eq } from "drizzle-orm";
import type { APIRequestContext } from "@playwright/test";
import { createPool } from "@/lib/db/client";
import { authSessions, chatMessages, policyOverrides, securityAlerts } from "@/lib/db/schema";
import { CountryPage } from "./support/chat-pages";
import { loginFormFields, signInFields } from "./support/login-form";
import { expect, makeUser, raiseTestAlert, signedInBrowser, test } from "./support/fixtures";

/**
 * Property-based: whatever arrives — random text in any script, control characters, huge or empty strings, wrong
 * types, extra fields, made-up ids, forged or truncated cookies — every JSON API and the sign-in form answer 4xx
 * (the APIs in the `{ error: { code, message } }` shape), never 500, and the data behind them does not change.
 * Every generated request is invalid by construction, so none of them may act.
 */
test.describe.configure({ mode: "default" });

const RUNS = 25;

// Text that the shared text schema must refuse: a control character somewhere in arbitrary Unicode.
const controlChar = fc.constantFrom(..."\u0000\u0001\u0007\u0008\u000b\u000c\u001b\u007f".split(""));
const withControlChar = fc
  .tuple(fc.string({ unit: "grapheme", maxLength: 40 }), controlChar, fc.string({ maxLength: 40 }))
  .map(([a, c, b]) => a + c + b);
const huge = fc.integer({ min: 70_000, max: 120_000 }).map((n) => "ü".repeat(n));
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
/** A JSON body that is not an object, or no JSON at all. */
const notAnObject = fc.oneof(
  fc
    .jsonValue()
    .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
    .map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary", maxLength: 200 }).filter((s) => {
    try {
      const parsed: unknown = JSON.parse(s);
      return typeof parsed !== "object" || parsed === null || Array.isArray(parsed);
    } catch {
      return true;
    }
  }),
);
const extraField = fc.tuple(
  fc
    .string({ minLength: 1, maxLength: 20 })
    .filter(
      (k) => !["notes", "reason", "policy", "content", "authMethod", "createdBefore", "inactiveForHours", "exceptSessionId"].includes(k),
    ),
  fc.jsonValue(),
);
/** A path segment that is not a UUID. */
const badId = fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s));

/** An invalid body for each endpoint: its own fields with bad values, or an unknown field, or not an object. */
function invalidBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  const badField = fc.constantFrom(...Object.keys(fields)).chain((name) => fields[name]!.map((value) => JSON.stringify({ [name]: value })));
  const unknownField = extraField.map(([key, value]) => JSON.stringify({ [key]: value }));
  return fc.oneof(badField, unknownField, notAnObject);
}

const badText = fc.oneof(withControlChar, notAString, huge);

async function expectRefused(response: Awaited<ReturnType<APIRequestContext["post"]>>, what: string): Promise<void> {
  const status = response.status();
  expect(status, `${what} answered ${status}`).toBeGreaterThanOrEqual(400);
  expect(status, `${what} answered ${status}`).toBeLessThan(500);
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, what).toBe("string");
  expect(typeof body.error?.message, what).toBe("string");
}

test("every JSON API refuses bad input with a 4xx in the error shape and changes nothing", async ({ browser }) => {
  test.slow(); // a few hundred requests
  const admin = await makeUser("admin");
  const victim = await makeUser();
  const { context: adminContext } = await signedInBrowser(browser, admin);
  const { context: victimContext } = await signedInBrowser(browser, victim);
  const chatPage = await adminContext.newPage();
  const chatId = await new CountryPage(chatPage).start("kenya", "Banking");
  const alertId = await raiseTestAlert(`user:${victim.id}`);
  const api = adminContext.request;
  const headers = { "content-type": "application/json" };

  const endpoints: { name: string; path: fc.Arbitrary<string>; body: fc.Arbitrary<string> }[] = [
    {
      name: "chat message",
      path: fc.constant(`/api/chat/${chatId}/messages`),
      body: invalidBody({ content: fc.oneof(badText, fc.constantFrom("", "   ")) }),
    },
    { name: "resolve alert", path: fc.constant(`/api/session/alerts/${alertId}/resolve`), body: invalidBody({ notes: badText }) },
    {
      name: "force sign-out",
      path: fc.constant(`/api/session/force-cleanup/${victim.id}`),
      body: invalidBody({ reason: badText, exceptSessionId: fc.oneof(badId, notAString) }),
    },
    {
      name: "cleanup by criteria",
      path: fc.constant("/api/session/cleanup/by-criteria"),
      body: fc.oneof(
        invalidBody({
          authMethod: badText,
          createdBefore: fc.oneof(fc.string({ maxLength: 30 }), notAString),
          inactiveForHours: fc.oneof(fc.double(), fc.integer({ max: 0 }), fc.string()),
        }),
        fc.constant("{}"),
      ),
    },
    {
      name: "policy override",
      path: fc.constant(`/api/session/policies/overrides/${victim.id}`),
      body: invalidBody({ policy: fc.oneof(notAString, fc.string()), reason: badText }),
    },
    // Made-up ids with an otherwise fine body.
    {
      name: "resolve an unknown alert",
      path: badId.map((id) => `/api/session/alerts/${encodeURIComponent(id)}/resolve`),
      body: fc.constant("{}"),
    },
    {
      name: "force sign-out of an unknown user",
      path: badId.map((id) => `/api/session/force-cleanup/${encodeURIComponent(id)}`),
      body: fc.constant("{}"),
    },
  ];

  for (const endpoint of endpoints) {
    await fc.assert(
      fc.asyncProperty(endpoint.path, endpoint.body, async (path, body) => {
        const method = endpoint.name === "policy override" ? "put" : "post";
        const response = await api[method](path, { headers, data: body });
        await expectRefused(response, `${endpoint.name} ${path} ${body.slice(0, 80)}`);
      }),
      { numRuns: RUNS },
    );
  }

  // Query strings of the admin's alert list: whatever they hold, never a 500.
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(fc.constantFrom("status", "severity", "limit", "offset", "x"), fc.string({ unit: "binary", maxLength: 30 }), {
        maxKeys: 3,
      }),
      async (query) => {
        const response = await api.get(`/api/session/alerts?${new URLSearchParams(query)}`);
        expect(response.status()).toBeLessThan(500);
        if (response.status() >= 400) await expectRefused(response, `alerts?${new URLSearchParams(query)}`);
      },
    ),
    { numRuns: RUNS },
  );

  // Nothing any of them touched changed.
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const [alert] = await pool.db.select().from(securityAlerts).where(eq(securityAlerts.id, alertId));
    expect(alert).toMatchObject({ acknowledgedAt: null, resolvedAt: null, resolutionNotes: null });
    const victimSessions = await pool.db.select().from(authSessions).where(eq(authSessions.userId, victim.id));
    expect(victimSessions.filter((s) => s.revokedAt === null)).toHaveLength(1);
    expect(await pool.db.select().from(policyOverrides).where(eq(policyOverrides.userId, victim.id))).toEqual([]);
    expect(await pool.db.select().from(chatMessages).where(eq(chatMessages.chatSessionId, chatId))).toEqual([]);
  } finally {
    await pool.sql.end();
  }
  expect((await victimContext.request.get("/api/session/me")).status()).toBe(200);
  await adminContext.close();
  await victimContext.close();
});

/** A sealed cookie with each base64url segment re-encoded canonically, without iron's optional "~version" suffix. */
function canonical(sealed: string): string {
  return sealed
    .replace(/~\d*$/, "")
    .split(/([*~])/)
    .map((part) => (/^[A-Za-z0-9_-]{16,}$/.test(part) ? Buffer.from(part, "base64url").toString("base64url") : part))
    .join("");
}

test("forged, truncated or foreign cookies are a 401 in the error shape, never a 500", async ({ browser, playwright }) => {
  const user = await makeUser();
  const { context } = await signedInBrowser(browser, user);
  const [cookie] = (await context.cookies()).filter((c) => c.name.endsWith("growbal_session"));
  await context.close();
  const real = cookie!.value;
  const forged = fc.oneof(
    fc.integer({ min: 0, max: real.length - 1 }).map((n) => real.slice(0, n)),
    fc
      .tuple(fc.integer({ min: 0, max: real.length - 1 }), fc.constantFrom(..."AZaz09*~-_".split("")))
      .map(([i, c]) => real.slice(0, i) + c + real.slice(i + 1)),
    fc.string({ unit: "binary-ascii", maxLength: 400 }).map((s) => encodeURIComponent(s)),
    fc.constant(`Fe26.2*1*${"A".repeat(5000)}`),
  );
  await fc.assert(
    fc.asyncProperty(forged, async (value) => {
      // Not a forgery: the same bytes (a base64url segment's last character carries unused bits; "~2" is optional).
      fc.pre(canonical(value) !== canonical(real));
      const api = await playwright.request.newContext({
        baseURL: test.info().project.use.baseURL,
        extraHTTPHeaders: { cookie: `${cookie!.name}=${value}` },
      });
      try {
        const response = await api.get("/api/session/me");
        await expectRefused(response, `cookie ${value.slice(0, 40)}`);
        expect(response.status()).toBe(401);
      } finally {
        await api.dispose();
      }
    }),
    { numRuns: RUNS },
  );
});

test("the sign-in form takes any text without a 500: refused, or an error on the form", async ({ playwright }) => {
  const baseURL = test.info().project.use.baseURL!;
  const hidden = await loginFormFields(baseURL);
  const field = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 80 }),
    withControlChar,
    fc.constant(""),
    fc.integer({ min: 1_100, max: 5_000 }).map((n) => "x".repeat(n)),
  );
  await fc.assert(
    fc.asyncProperty(field, field, fc.integer({ min: 1, max: 250 }), async (username, password, host) => {
      // Each attempt from its own address (a trusted-proxy header), so the runs never lock anybody out.
      const api = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: { "x-forwarded-for": `198.18.${host}.${(host * 7) % 250}` },
      });
      try {
        const response = await api.post("/login", {
          multipart: Object.fromEntries(signInFields(hidden, username, password)),
          maxRedirects: 0,
        });
        expect([200, 400, 413]).toContain(response.status());
        if (response.status() === 200) expect(await response.text()).not.toContain("Internal Server Error");
      } finally {
        await api.dispose();
      }
    }),
    { numRuns: RUNS },
  );
  // Oversized and damaged submissions get a page that says so.
  const api = await playwright.request.newContext({ baseURL });
  const tooBig = await api.post("/login", {
    multipart: Object.fromEntries(signInFields(hidden, "demo", "p".repeat(1_000_000))),
  });
  expect(tooBig.status()).toBe(413);
  expect(await tooBig.text()).toContain("That was too much to send");
  const damaged = await api.post("/login", {
    headers: { "content-type": "multipart/form-data; boundary=xyz" },
    data: '--xyz\r\ncontent-disposition: form-data; name="a"\r\n\r\nb',
  });
  expect(damaged.status()).toBe(400);
  expect(await damaged.text()).toContain("That form could not be read");
  await api.dispose();
});
