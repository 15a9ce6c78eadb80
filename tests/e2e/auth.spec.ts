import { expect, test } from "./support/fixtures";

test.describe("sign-in", () => {
  test("the demo account signs in and lands on the dashboard with a hardened cookie", async ({ page, loginPage, context }) => {
    await loginPage.goto();
    await loginPage.signIn("demo", "demo-password-123");
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Welcome back, demo!" })).toBeVisible();

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "growbal_session");
    expect(session).toBeDefined();
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
    // 8 hours for a normal sign-in.
    const lifetime = session!.expires - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(8 * 3600 - 120);
    expect(lifetime).toBeLessThanOrEqual(8 * 3600);
  });

  test("a wrong password gets the generic error and keeps the username", async ({ page, loginPage, user }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, "definitely-wrong");
    await expect(loginPage.error()).toHaveText("Invalid username or password");
    await expect(page.getByLabel("Username")).toHaveValue(user.username);
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("an unknown user gets exactly the same error", async ({ loginPage }) => {
    await loginPage.goto();
    await loginPage.signIn("nobody_by_this_name", "whatever-password");
    await expect(loginPage.error()).toHaveText("Invalid username or password");
  });

  test("repeated wrong passwords slow down, then lock, with a clear message", async ({ page, loginPage, user, server }) => {
    // Its own address and a fixed server time, so the back-off cannot lapse between attempts.
    await server.from("192.0.2.77");
    await server.at(Date.now());
    await loginPage.goto();
    for (let i = 0; i < 3; i++) {
      await loginPage.signIn(user.username, "definitely-wrong");
      await expect(loginPage.error()).toHaveText("Invalid username or password");
      // The form resets its password field once the attempt has settled; only then type the next one.
      await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
      await expect(page.getByLabel("Password")).toHaveValue("");
    }
    await loginPage.signIn(user.username, user.password);
    await expect(loginPage.error()).toHaveText("Too many attempts. Please wait 1 second and try again.");
    await expect(page.getByLabel("Password")).toHaveValue("");
    await server.at(Date.now() + 2000);
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("empty fields are explained next to each field", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Enter your username.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
  });

  test("the form works from the keyboard alone", async ({ page, user }) => {
    await page.goto("/login");
    await page.getByLabel("Username").focus();
    await page.keyboard.type(user.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(user.password);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
  });
});

test.describe("protected pages and return paths", () => {
  test("a protected page sends you to sign in and back where you were", async ({ page, loginPage, user }) => {
    await page.goto("/dashboard?from=e2e");
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%3Ffrom%3De2e$/);
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard\?from=e2e$/);
  });

  for (const next of ["https://evil.example/phish", "//evil.example", "/\\evil.example"]) {
    test(`an open redirect through next=${next} is refused`, async ({ page, loginPage, user, baseURL }) => {
      await loginPage.goto(`?next=${encodeURIComponent(next)}`);
      await loginPage.signIn(user.username, user.password);
      await expect(page).toHaveURL(`${baseURL}/dashboard`);
    });
  }

  test("APIs answer 401 JSON without a session", async ({ request }) => {
    const response = await request.get("/api/session/me");
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
  });
});

test.describe("sign-out", () => {
  test("revokes the session server-side, so the old cookie replayed afterwards is refused", async ({ page, loginPage, user, context }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    const stolen = (await context.cookies()).filter((c) => c.name === "growbal_session");
    expect(stolen).toHaveLength(1);

    const me = await page.request.get("/api/session/me");
    expect(me.status()).toBe(200);
    const body = await me.json();
    expect(body.user.username).toBe(user.username);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/token/i);
    expect(text).not.toContain(stolen[0]!.value);

    await expect(page.getByTestId("header-user")).toHaveText(`Signed in as ${user.username}`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
    await expect(page.getByTestId("login-notice")).toHaveText("You have been signed out.");
    expect((await context.cookies()).find((c) => c.name === "growbal_session")).toBeUndefined();

    // Replay the cookie captured before sign-out.
    await context.addCookies(stolen);
    const replayed = await page.request.get("/api/session/me");
    expect(replayed.status()).toBe(401);
    expect((await replayed.json()).error).toMatchObject({ code: "session_ended", reason: "logout" });
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?reason=logout&next=%2Fdashboard$/);
    await expect(page.getByTestId("login-notice")).toHaveText("You have been signed out.");
  });
});

test.describe("security headers", () => {
  test("every page carries CSP, framing and sniffing protections", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/content security policy|refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/login");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // The nonce really reaches Next's scripts: React hydrates (it owns the form) and nothing was blocked.
    await expect.poll(() => page.locator("form").evaluate((form) => Object.keys(form).some((key) => key.startsWith("__react")))).toBe(true);
    expect(violations).toEqual([]);
  });

  test("health answers without a cookie", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
    // Readiness: migrations current and the session secret present too.
    const ready = await request.get("/api/health?ready=1");
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok", db: "ok", checks: { database: "ok", migrations: "ok", sessionSecret: "ok" } });
  });
});
