import { randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "@playwright/test";
import { sealData, unsealData } from "iron-session";
import { cookieSettings } from "@/lib/sessions/cookie";
import { and, eq, sql } from "drizzle-orm";
import { createPool } from "@/lib/db/client";
import { authSessions, policyOverrides, securityEvents, users } from "@/lib/db/schema";
import { expect, test } from "./support/fixtures";

/**
 * Single sign-on through a real OpenID provider (oidc-provider on loopback, started by the global setup, see
 * scripts/dev-idp.ts): its development sign-in page takes any login and password, and the login decides the
 * account (ada → ada@example.com verified; admin-… in the admin group; unverified-… an unverified email).
 */

const login = (prefix = "sso") => `${prefix}-${randomBytes(4).toString("hex")}`;

async function withDb<T>(work: (db: ReturnType<typeof createPool>["db"]) => Promise<T>): Promise<T> {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    return await work(pool.db);
  } finally {
    await pool.sql.end();
  }
}

const userByEmail = (email: string) =>
  withDb(
    async (db) =>
      (
        await db
          .select()
          .from(users)
          .where(sql`lower(${users.email}) = ${email}`)
      )[0] ?? null,
  );

const ssoFailures = (reason: string, since: Date) =>
  withDb((db) =>
    db
      .select()
      .from(securityEvents)
      .where(
        and(
          eq(securityEvents.type, "sso_failed"),
          sql`${securityEvents.details}->>'reason' = ${reason}`,
          sql`${securityEvents.at} >= ${since.toISOString()}::timestamptz`,
        ),
      ),
  );

/** At the provider's development sign-in page: any login, any password. */
async function signInAtProvider(page: Page, who: string) {
  await page.getByPlaceholder("Enter any login").fill(who);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

async function startSso(page: Page) {
  await page.goto("/login");
  await page.getByTestId("sso-sign-in").click();
}

/**
 * Starts a flow and follows its redirects by hand (the provider remembers the person, so it answers at once) up to
 * the callback, which is returned unvisited. The browser's cookies come along (page.request shares them).
 */
async function nextCallback(page: Page): Promise<URL> {
  let url = new URL("/login/sso/start", page.url());
  for (let hop = 0; hop < 8; hop++) {
    const response = await page.request.get(url.href, { maxRedirects: 0 });
    const location = response.headers()["location"];
    if (!location) throw new Error(`expected a redirect from ${url.pathname}, got ${response.status()}`);
    url = new URL(location, url);
    if (url.pathname === "/login/sso/callback") return url;
  }
  throw new Error("the provider did not send the browser back");
}

/**
 * Signs the browser out of the provider, so it shows its sign-in page again: its own cookies only (it shares the
 * host 127.0.0.1 with the app, and cookies do not tell ports apart).
 */
async function forgetProvider(context: BrowserContext) {
  await context.clearCookies({ name: /^_(session|interaction)/ });
}

/** The SSO flow cookie, resealed with another nonce (the tests know the server's secret, as they know its database). */
async function withOtherNonce(sealed: string): Promise<string> {
  const settings = cookieSettings({ secureCookies: false, SESSION_SECRET: [process.env.SESSION_SECRET!] });
  const flow = await unsealData<Record<string, unknown>>(sealed, { password: settings.unsealPasswords, ttl: 600 });
  expect(flow.nonce).toBeTruthy();
  return sealData({ ...flow, nonce: "n".repeat(43) }, { password: settings.sealPasswords, ttl: 600 });
}

test.describe("single sign-on", () => {
  test("signs in through the provider and gets an sso session that the sso policy governs", async ({ page }) => {
    const who = login();
    await startSso(page);
    await signInAtProvider(page, who);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("devices").getByTestId("device-method").first()).toHaveText("single sign-on");

    const user = await userByEmail(`${who}@example.com`);
    expect(user).toMatchObject({ passwordHash: null, role: "user" });
    const [session] = await withDb((db) => db.select().from(authSessions).where(eq(authSessions.userId, user!.id)));
    expect(session).toMatchObject({ kind: "sso", authMethod: "sso" });
    expect(session?.ssoIdentityId).not.toBeNull();
    expect(session?.idpSessionId).toBeTruthy();

    // The sso policy binds the browser: another user agent ends the session.
    const moved = await page.request.get("/api/session/me", { headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/133.0" } });
    expect(moved.status()).toBe(401);
    expect(((await moved.json()) as { error: { reason?: string } }).error.reason).toBe("user_agent_changed");
  });

  test("every failure ends on a clear page with nothing created and an event: unverified email, cancelled, tampered state, replayed code, wrong nonce", async ({
    page,
    context,
  }) => {
    test.slow();
    const since = new Date(Date.now() - 60_000);

    // An email the provider has not verified gets no account.
    const unverified = login("unverified");
    await startSso(page);
    await signInAtProvider(page, unverified);
    await expect(page).toHaveURL(/\/login\?sso=email_unverified/);
    await expect(page.getByTestId("sso-error")).toContainText("not verified");
    expect(await userByEmail(`${unverified}@example.com`)).toBeNull();
    expect((await ssoFailures("email_unverified", since)).length).toBeGreaterThan(0);

    // The provider now remembers that person, so each new flow comes straight back: its answers are taken
    // unvisited (nextCallback) and then presented to the app the ways an attacker or a glitch would.

    // A callback whose state was changed: refused.
    const tampered = await nextCallback(page);
    tampered.searchParams.set("state", "x".repeat(43));
    await page.goto(tampered.pathname + tampered.search);
    await expect(page).toHaveURL(/\/login\?sso=state_mismatch/);

    // An ID token whose nonce is not this browser's: the flow's cookie is resealed with another nonce (PKCE and
    // state still match, so only the nonce check can refuse it).
    const answerA = await nextCallback(page);
    const flowCookie = (await context.cookies()).find((c) => c.name === "growbal_session_sso")!;
    await context.addCookies([{ ...flowCookie, value: await withOtherNonce(flowCookie.value) }]);
    await page.goto(answerA.pathname + answerA.search);
    await expect(page).toHaveURL(/\/login\?sso=nonce_mismatch/);

    // That code was redeemed: answered again with a fresh flow's state, the provider refuses it.
    const answerB = await nextCallback(page);
    const replay = new URL(answerA);
    replay.searchParams.set("state", answerB.searchParams.get("state")!);
    await page.goto(replay.pathname + replay.search);
    await expect(page).toHaveURL(/\/login\?sso=replayed/);
    // And a callback with no flow left in this browser (its first answer took it): expired.
    await page.goto(replay.pathname + replay.search);
    await expect(page).toHaveURL(/\/login\?sso=expired/);

    // Consent refused at the provider (its "Cancel").
    await forgetProvider(context);
    await startSso(page);
    await page.getByRole("link", { name: "[ Cancel ]" }).click();
    await expect(page).toHaveURL(/\/login\?sso=access_denied/);
    await expect(page.getByTestId("sso-error")).toHaveText("The sign-in was cancelled at the sign-in service, so you are not signed in.");

    expect(await userByEmail(`${unverified}@example.com`)).toBeNull();
    for (const reason of ["access_denied", "state_mismatch", "nonce_mismatch", "replayed", "expired"]) {
      expect((await ssoFailures(reason, since)).length, reason).toBeGreaterThan(0);
    }
  });

  test("signing out at the provider ends the session here at once (back-channel logout)", async ({ page }) => {
    const who = login();
    await startSso(page);
    await signInAtProvider(page, who);
    await expect(page).toHaveURL(/\/dashboard$/);
    const user = await userByEmail(`${who}@example.com`);

    await page.goto(`${process.env.E2E_SSO_ISSUER}/session/end?client_id=growbal-dev`);
    await page.getByRole("button", { name: /yes/i }).click();
    await expect
      .poll(async () =>
        withDb(async (db) => (await db.select().from(authSessions).where(eq(authSessions.userId, user!.id)))[0]?.revokeReason ?? null),
      )
      .toBe("idp_logout");
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?reason=idp_logout/);
    await expect(page.getByTestId("login-notice")).toContainText("signed out at your organisation");
  });

  test("an administrator from the provider's admin group must still set up a second factor", async ({ page }) => {
    const who = login("admin");
    await startSso(page);
    await signInAtProvider(page, who);
    await expect(page).toHaveURL(/\/account\/security/);
    const user = await userByEmail(`${who}@example.com`);
    expect(user?.role).toBe("admin");
    const [session] = await withDb((db) => db.select().from(authSessions).where(eq(authSessions.userId, user!.id)));
    expect(session).toMatchObject({ kind: "admin", authMethod: "sso", mfaVerifiedAt: null });
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/account\/security/);
  });

  test("an account with a password links SSO from /account (the provider asks again), then signs in with it and unlinks it", async ({
    page,
    loginPage,
    user,
    context,
  }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/account");
    await expect(page.getByTestId("sso-none")).toBeVisible();
    await forgetProvider(context);
    await page.getByTestId("sso-link").click();
    const who = login("link");
    await signInAtProvider(page, who);
    await expect(page).toHaveURL(/\/account\?notice=sso_linked/);
    await expect(page.getByTestId("sso-notice")).toContainText("is linked");
    await expect(page.getByTestId("sso-identity")).toContainText(`${who}@example.com`);
    // Linking created no account of its own: the provider account signs in to this one.
    expect(await userByEmail(`${who}@example.com`)).toBeNull();

    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
    await startSso(page);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();

    // Within 15 minutes of the provider's sign-in, /account opens; the password remains, so the link may go.
    await page.goto("/account");
    await page.getByRole("button", { name: `Unlink ${who}@example.com` }).click();
    // The list shows it gone (the row and its button with it).
    await expect(page.getByTestId("sso-identity")).toHaveCount(0);
    await expect(page.getByTestId("sso-none")).toBeVisible();
  });

  test("after 12 hours the session must sign in again, and the provider asks for the password again", async ({ page, server }) => {
    const who = login();
    await startSso(page);
    await signInAtProvider(page, who);
    await expect(page).toHaveURL(/\/dashboard$/);
    // A longer absolute limit for this account, so the 12-hour re-authentication is what ends it.
    const user = await userByEmail(`${who}@example.com`);
    await withDb((db) => db.insert(policyOverrides).values({ userId: user!.id, policy: { maxDurationMinutes: 24 * 60 } }));
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
    await startSso(page); // the provider remembers the person: straight back, signed in
    await expect(page).toHaveURL(/\/dashboard$/);

    await server.at(Date.now() + 12 * 3600_000 + 60_000);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?.*reason=reauth_required/);
    await page.getByTestId("sso-sign-in").click();
    // prompt=login: the provider shows its sign-in page although its own session is still there.
    await expect(page.getByPlaceholder("Enter any login")).toBeVisible();
    await signInAtProvider(page, who);
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});
