import { loginFormFields, signInFields } from "./support/login-form";
import { E2E_SERVER_ENV, SERVER, startServer, type RunningServer } from "./support/server";
import { expect, LoginPage, makeUser, ServerView, sessionsOf, signedInBrowser, test } from "./support/fixtures";

const MIN = 60_000;
const HOUR = 60 * MIN;
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0";

test.describe("session policies on real requests", () => {
  test("idle timeout signs out with a plain-words message and a recorded reason", async ({ page, loginPage, server, user }) => {
    const t0 = Date.now();
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();

    await server.at(t0 + 60 * MIN);
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();

    await server.at(t0 + 60 * MIN + 60 * MIN + 1000);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?reason=idle_timeout&after=60&next=%2Fdashboard$/);
    await expect(loginPage.notice()).toHaveText("You were signed out after 60 minutes of inactivity.");
    const [session] = await sessionsOf(user.id);
    expect(session?.revokeReason).toBe("idle_timeout");
  });

  test("the absolute limit ends even a busy session after 8 hours", async ({ page, loginPage, server, user }) => {
    const t0 = Date.now();
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    for (let t = t0 + 50 * MIN; t <= t0 + 8 * HOUR; t += 50 * MIN) {
      await server.at(t);
      await page.goto("/dashboard");
      await expect(page).toHaveURL(/\/dashboard$/);
    }
    await server.at(t0 + 8 * HOUR + 30 * MIN);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/reason=absolute_timeout/);
    await expect(loginPage.notice()).toHaveText("Your session reached its maximum length of 8 hours. Please sign in again.");
  });

  test("remember-me survives past 8 hours", async ({ page, loginPage, server, user, context }) => {
    const t0 = Date.now();
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password, { rememberMe: true });
    await expect(page).toHaveURL(/\/dashboard$/);
    const cookie = (await context.cookies()).find((c) => c.name === "growbal_session");
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(29 * 24 * 3600);

    await server.at(t0 + 9 * HOUR);
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
    await server.at(t0 + 3 * 24 * HOUR);
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
  });

  test("a new network signs out a signed-in session (same /24 is fine)", async ({ page, loginPage, server, user }) => {
    await server.from("203.0.113.10");
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    await server.from("203.0.113.77");
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);

    await server.from("198.51.100.20");
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?reason=ip_changed/);
    await expect(loginPage.notice()).toHaveText("You were signed out because your network changed. Please sign in again.");
    const [session] = await sessionsOf(user.id);
    expect(session?.revokeReason).toBe("ip_changed");
  });

  test("APIs answer a violation with 401 JSON, end the session, and keep saying why", async ({ page, loginPage, server, user }) => {
    await server.from("203.0.113.10");
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await server.from("198.51.100.20");
    const response = await page.request.get("/api/session/me", { headers: { "x-forwarded-for": "198.51.100.20" } });
    expect(response.status()).toBe(401);
    const ended = {
      code: "session_ended",
      reason: "ip_changed",
      message: "You were signed out because your network changed. Please sign in again.",
    };
    expect((await response.json()).error).toEqual(ended);
    const [session] = await sessionsOf(user.id);
    expect(session?.revokeReason).toBe("ip_changed");
    // The session cookie is gone now; the next call still says why, not a bare "sign in".
    const again = await page.request.get("/api/session/me", { headers: { "x-forwarded-for": "198.51.100.20" } });
    expect(again.status()).toBe(401);
    expect((await again.json()).error).toEqual(ended);
  });

  test("a client that keeps no cookies stays signed in while active, and is told when it idled out", async ({ user }) => {
    // The cookie's own activity time never moves for such a client; the database's does.
    const base = test.info().project.use.baseURL!;
    const headers = (at: number, cookie?: string) => ({
      "x-growbal-test-now": String(at),
      "x-forwarded-for": "203.0.113.77",
      origin: base,
      ...(cookie ? { cookie } : {}),
    });
    const start = Date.now() + 10 * 60_000;
    const form = new FormData();
    for (const [name, value] of signInFields(await loginFormFields(base, headers(start)), user.username, user.password))
      form.append(name, value);
    const signedIn = await fetch(`${base}/login`, { method: "POST", body: form, headers: headers(start), redirect: "manual" });
    const cookie = signedIn.headers
      .getSetCookie()
      .find((c) => c.startsWith("growbal_session="))!
      .split(";")[0]!;
    // Active every 50 minutes for 150 minutes: the cookie alone would say "idle for 60 minutes" after the second.
    for (const minutes of [50, 100, 150]) {
      const me = await fetch(`${base}/api/session/me`, { headers: headers(start + minutes * 60_000, cookie), redirect: "manual" });
      expect(me.status, `API at +${minutes} min`).toBe(200);
      const page = await fetch(`${base}/dashboard`, { headers: headers(start + minutes * 60_000 + 1000, cookie), redirect: "manual" });
      expect(page.status, `page at +${minutes} min`).toBe(200);
    }
    // Then really idle for more than 60 minutes: a 401 saying so, never a redirect.
    const idle = await fetch(`${base}/api/session/me`, { headers: headers(start + 212 * 60_000, cookie), redirect: "manual" });
    expect(idle.status).toBe(401);
    expect((await idle.json()).error).toMatchObject({ code: "session_ended", reason: "idle_timeout" });
  });

  test("a different browser signs out an administrator's session", async ({ browser, admin }) => {
    const first = await browser.newContext({ userAgent: CHROME });
    const page = await first.newPage();
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The same cookie presented by another browser (a stolen cookie, or a shared machine).
    const thief = await browser.newContext({ userAgent: FIREFOX, storageState: await first.storageState() });
    const stolen = await thief.newPage();
    await stolen.goto("/dashboard");
    await expect(stolen).toHaveURL(/\/login\?reason=user_agent_changed/);
    await expect(stolen.getByTestId("login-notice")).toHaveText("You were signed out because your browser changed. Please sign in again.");

    // The session is over for the original browser too: it ended server-side.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
    // The password-only session became the full one at the second factor ("rotated"); the full one is what ended.
    const sessions = await sessionsOf(admin.id);
    expect(sessions.map((s) => s.revokeReason).sort()).toEqual(["rotated", "user_agent_changed"]);
    await first.close();
    await thief.close();
  });

  test("the 6th sign-in evicts the oldest session", async ({ browser, user }) => {
    test.slow(); // six browser contexts signing in one after another
    const contexts = [];
    for (let i = 0; i < 6; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const login = new LoginPage(page);
      await login.goto();
      await login.signIn(user.username, user.password);
      await expect(page).toHaveURL(/\/dashboard$/);
      contexts.push({ context, page });
    }
    await contexts[0]!.page.goto("/dashboard");
    await expect(contexts[0]!.page).toHaveURL(/\/login\?reason=concurrency_limit&next=%2Fdashboard$/);
    await expect(contexts[0]!.page.getByTestId("login-notice")).toHaveText(
      "You were signed out because your account is signed in on too many devices (the oldest sessions end first).",
    );
    await contexts[1]!.page.goto("/dashboard");
    await expect(contexts[1]!.page).toHaveURL(/\/dashboard$/);
    const sessions = await sessionsOf(user.id);
    expect(sessions.filter((s) => s.revokedAt === null)).toHaveLength(5);
    expect(sessions.at(-1)?.revokeReason).toBe("concurrency_limit");
    for (const { context } of contexts) await context.close();
  });
});

test.describe("timeout warnings", () => {
  test("two minutes before the idle limit a notice offers to stay signed in, from the keyboard, and staying moves the limit", async ({
    page,
    loginPage,
    server,
    user,
  }) => {
    const t0 = Date.now();
    // The browser's clock and the server's move together, in steps the test takes.
    await page.clock.install({ time: t0 });
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
    const notice = page.getByTestId("timeout-notice");

    await page.clock.fastForward(57 * MIN);
    await expect(notice).toHaveCount(0);
    await page.clock.fastForward(MIN + 1000);
    await expect(notice).toHaveText(/You will be signed out in 2 minutes because of inactivity\./);
    await expect(page.getByRole("status").filter({ has: notice })).toBeAttached();

    await server.at(t0 + 58.5 * MIN);
    await notice.getByRole("button", { name: "Stay signed in" }).focus();
    await page.keyboard.press("Enter");
    await expect(notice).toHaveCount(0);

    // The idle limit now counts from 58.5 minutes: the next warning comes at 116.5, not at 58.
    await page.clock.fastForward(57 * MIN);
    await expect(notice).toHaveCount(0);
    await page.clock.fastForward(MIN + 1000);
    await expect(notice).toContainText("because of inactivity");
    const [session] = await sessionsOf(user.id);
    expect(session?.revokedAt).toBeNull();
    expect(session?.lastActivityAt.getTime()).toBe(Math.round(t0 + 58.5 * MIN));
  });

  test("two minutes before an administrator's 2-hour limit the notice asks to sign in again", async ({
    page,
    loginPage,
    server,
    admin,
  }) => {
    const t0 = Date.now();
    await page.clock.install({ time: t0 });
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    // Busy all along (a page every 14 minutes, inside the 15-minute idle limit) until 112 minutes.
    for (let minutes = 14; minutes <= 112; minutes += 14) {
      await page.clock.fastForward(14 * MIN);
      await server.at(t0 + minutes * MIN);
      await page.goto("/dashboard");
      await expect(page.getByTestId("header-user")).toHaveText(`Signed in as ${admin.username}`);
    }
    const notice = page.getByTestId("timeout-notice");
    await expect(notice).toHaveCount(0);
    await page.clock.fastForward(6 * MIN + 1000);
    await expect(notice).toContainText("This session reaches its time limit in 2 minutes.");
    await expect(notice.getByRole("link", { name: "Sign in again" })).toHaveAttribute("href", "/login?next=%2Fdashboard");
    await notice.getByRole("button", { name: "Not now" }).click();
    await expect(notice).toHaveCount(0);
  });
});

test.describe("step-up for sensitive operations", () => {
  test("a password change 16 minutes after sign-in asks for the password again, then needs the current one and ends other sessions", async ({
    page,
    loginPage,
    server,
    user,
    browser,
  }) => {
    const { context: elsewhere, page: other } = await signedInBrowser(browser, user);

    const t0 = Date.now();
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await page.getByRole("link", { name: "Account security" }).click();
    await expect(page.getByRole("heading", { name: "Account security" })).toBeVisible();

    await server.at(t0 + 16 * MIN);
    // Someone copies the cookie before the owner proves who they are again.
    const thief = await browser.newContext();
    await thief.addCookies(await page.context().cookies());
    await new ServerView(thief).at(t0 + 16 * MIN);
    expect((await thief.request.get("/api/session/me")).status()).toBe(200);

    await page.goto("/account");
    await expect(page).toHaveURL(/\/reauth\?next=%2Faccount$/);
    await page.getByLabel("Password").fill("not my password");
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page.getByTestId("reauth-error")).toHaveText("That password is not right. Please try again.");
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page).toHaveURL(/\/account$/);
    // The re-authentication issued a new session: the copied cookie no longer works.
    const copied = await thief.request.get("/api/session/me");
    expect(copied.status()).toBe(401);
    await thief.close();

    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill("velvet harbour kite 42");
    await page.getByLabel("Repeat new password").fill("velvet harbour kite 42");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password. Nothing was changed.")).toBeVisible();

    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill("password1234");
    await page.getByLabel("Repeat new password").fill("password1234");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText(/too easy to guess/)).toBeVisible();

    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill("velvet harbour kite 42");
    await page.getByLabel("Repeat new password").fill("velvet harbour kite 42");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("password-notice")).toHaveText("Your password was changed. 1 other session was signed out.");

    await other.goto("/dashboard");
    await expect(other).toHaveURL(/\/login/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
    await elsewhere.close();
  });
});

test.describe("policy APIs", () => {
  test("the summary is available to signed-in users", async ({ page, loginPage, user }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    const response = await page.request.get("/api/session/policies");
    expect(response.status()).toBe(200);
    const summary = await response.json();
    expect(summary).toMatchObject({ enforcementEnabled: true, defaultSecurityLevel: "medium" });
    expect(summary.policies.authenticated).toMatchObject({ maxDurationHours: 8, idleTimeoutMinutes: 60, maxConcurrentSessions: 5 });
    expect(summary.policies.admin).toMatchObject({ ipBinding: "exact", userAgentBinding: true, requiresMfa: true });
  });

  test("overrides are admin-only, need a recent sign-in, and apply to the user's next session", async ({ browser, admin, user }) => {
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    const adminServer = new ServerView(adminContext);
    const t0 = Date.now();
    await adminServer.at(t0);
    const adminLogin = new LoginPage(adminPage);
    await adminLogin.goto();
    await adminLogin.signIn(admin.username, admin.password);
    await expect(adminPage).toHaveURL(/\/dashboard$/);

    const url = `/api/session/policies/overrides/${user.id}`;
    expect((await adminPage.request.put(url, { data: { policy: { idleTimeoutMinutes: 0 } } })).status()).toBe(400);
    // A malformed id names nothing: 404, as on every API.
    expect((await adminPage.request.put("/api/session/policies/overrides/not-a-uuid", { data: { policy: {} } })).status()).toBe(404);
    const saved = await adminPage.request.put(url, { data: { policy: { idleTimeoutMinutes: 5 }, reason: "kiosk account" } });
    expect(saved.status()).toBe(200);
    expect(await saved.json()).toMatchObject({ userId: user.id, policy: { idleTimeoutMinutes: 5 }, reason: "kiosk account" });
    expect((await (await adminPage.request.get("/api/session/policies")).json()).userOverrides).toBeGreaterThanOrEqual(1);

    // Admin mutations need a sign-in within 15 minutes (activity keeps the 15-minute idle limit at bay).
    await adminServer.at(t0 + 10 * MIN);
    await adminPage.goto("/dashboard");
    await adminServer.at(t0 + 16 * MIN);
    const stale = await adminPage.request.delete(url);
    expect(stale.status()).toBe(403);
    expect((await stale.json()).error.code).toBe("reauth_required");

    // The user signs in under the override: 6 idle minutes end the session.
    const userContext = await browser.newContext();
    const userPage = await userContext.newPage();
    const userServer = new ServerView(userContext);
    await userServer.at(t0);
    const userLogin = new LoginPage(userPage);
    await userLogin.goto();
    await userLogin.signIn(user.username, user.password);
    await expect(userPage).toHaveURL(/\/dashboard$/);
    expect((await userPage.request.put(url, { data: { policy: {} } })).status()).toBe(403);
    await userServer.at(t0 + 6 * MIN);
    await userPage.goto("/dashboard");
    await expect(userPage.getByTestId("login-notice")).toHaveText("You were signed out after 5 minutes of inactivity.");
    await adminContext.close();
    await userContext.close();
  });
});

test.describe("enforcement switched off", () => {
  const port = 3101;
  const baseURL = `http://127.0.0.1:${port}`;
  let relaxed: RunningServer;

  test.beforeAll(async () => {
    relaxed = await startServer({
      command: SERVER,
      baseURL,
      env: { ...E2E_SERVER_ENV, ENFORCE_SESSION_POLICIES: "false", PORT: String(port), APP_URL: baseURL },
      log: "e2e-server-relaxed.log",
      timeoutMs: 60_000,
    });
  });

  test.afterAll(async () => {
    await relaxed?.stop();
  });

  test("lets a session through a new network and long idleness, and says so", async ({ browser }) => {
    const user = await makeUser();
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    const server = new ServerView(context);
    const t0 = Date.now();
    await server.at(t0);
    await server.from("203.0.113.10");
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(user.username, user.password);
    await expect(page).toHaveURL(`${baseURL}/dashboard`);

    await server.from("198.51.100.20");
    await server.at(t0 + 90 * MIN);
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
    expect((await (await page.request.get("/api/session/policies")).json()).enforcementEnabled).toBe(false);
    await context.close();
  });
});
