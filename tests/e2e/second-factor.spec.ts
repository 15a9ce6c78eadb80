import fs from "node:fs";
import path from "node:path";
import type { CDPSession, Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { createPool } from "@/lib/db/client";
import { securityAlerts } from "@/lib/db/schema";
import { expect, LoginPage, makeUser, test } from "./support/fixtures";
import { nextTotpCode } from "./support/second-factor";
import { E2E_PORT } from "../../playwright.config";

/**
 * Second factors in a real browser: an administrator forced to enrol before anything else, TOTP with codes computed
 * here as a phone would, recovery codes, and passkeys on Chromium's virtual authenticator (DevTools protocol).
 */

const ROOT = path.resolve(__dirname, "../..");
const SOME_ID = "00000000-0000-4000-8000-000000000000";

/** Every admin page and admin API, read from app/ so a new one cannot be missed. */
function adminRoutes(): { pages: string[]; apis: { method: string; path: string }[] } {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : [full];
    });
  const urlOf = (file: string) =>
    "/" +
    path
      .relative(path.join(ROOT, "app"), path.dirname(file))
      .split(path.sep)
      .map((segment) => (segment.startsWith("[") ? SOME_ID : segment))
      .join("/");
  const pages = walk(path.join(ROOT, "app/admin"))
    .filter((f) => f.endsWith("page.tsx"))
    .map(urlOf);
  const apis = walk(path.join(ROOT, "app/api"))
    .filter((f) => f.endsWith("route.ts") && fs.readFileSync(f, "utf8").includes('auth: "admin"'))
    .flatMap((f) =>
      [...fs.readFileSync(f, "utf8").matchAll(/export const (GET|POST|PUT|DELETE|PATCH)\b/g)].map((m) => ({
        method: m[1]!,
        path: urlOf(f),
      })),
    );
  return { pages, apis };
}

async function signOut(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test.describe("two-step verification", () => {
  test("an administrator must enrol before reaching any admin page or API, then signs in with TOTP and a recovery code once", async ({
    page,
  }) => {
    test.slow(); // several sign-ins
    const admin = await makeUser("admin", { secondFactor: false });
    const login = new LoginPage(page);
    await login.goto("?next=%2Fadmin%2Fsecurity");
    await login.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/account\/security\?next=%2Fadmin%2Fsecurity$/);
    await expect(page.getByTestId("enrolment-required")).toContainText("administrator accounts need a second factor");

    // Nothing else answers this session: every admin page sends it back, every admin API refuses it.
    const routes = adminRoutes();
    expect(routes.pages).toEqual(expect.arrayContaining(["/admin/security", "/admin/users", "/admin/events"]));
    expect(routes.apis.length).toBeGreaterThanOrEqual(10);
    for (const pagePath of [...routes.pages, "/dashboard", "/account"]) {
      await page.goto(pagePath);
      await expect(page, pagePath).toHaveURL(/\/account\/security/);
    }
    for (const api of routes.apis) {
      const response = await page.request.fetch(api.path, { method: api.method, data: api.method === "GET" ? undefined : {} });
      expect(response.status(), `${api.method} ${api.path}`).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code, `${api.method} ${api.path}`).toBe("mfa_required");
    }

    // Enrol an authenticator app from the key shown beside the QR code.
    await page.goto("/account/security?next=%2Fadmin%2Fsecurity");
    await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s/g, "");
    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.locator("#totp-setup-code-error")).toContainText("That code is not right");
    await page.getByLabel("Code from the app").fill(nextTotpCode(secret, Date.now()));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByTestId("recovery-code")).toHaveCount(10);
    const codes = await page.getByTestId("recovery-code").allTextContents();
    await page.getByTestId("recovery-codes-continue").click();
    await expect(page).toHaveURL(/\/admin\/security$/);
    await expect(page.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();

    // Next sign-in: the password, then the code.
    await signOut(page);
    await login.goto();
    await login.signIn(admin.username, admin.password, { secondFactor: false });
    await expect(page).toHaveURL(/\/login\/verify/);
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login\/verify\?next=%2Fadmin%2Fusers$/);
    await page.getByLabel("6-digit code from your authenticator app").fill(nextTotpCode(secret, Date.now()));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await page.goto("/dashboard");
    await expect(page.getByTestId("devices").getByTestId("device-method").first()).toHaveText("password + authenticator app");
    await expect(page.getByTestId("recovery-codes-status")).toContainText("10 of 10 recovery codes left");

    // A recovery code works once.
    await signOut(page);
    await login.goto();
    await login.signIn(admin.username, admin.password, { secondFactor: false });
    await page.getByText("Lost your device? Use a recovery code").click();
    await page.getByLabel("Recovery code").fill(codes[0]!);
    await page.getByRole("button", { name: "Use recovery code" }).click();
    await expect(page.getByTestId("recovery-notice")).toHaveText("You signed in with a recovery code. 9 of 10 left.");
    await signOut(page);
    await login.goto();
    await login.signIn(admin.username, admin.password, { secondFactor: false });
    await page.getByText("Lost your device? Use a recovery code").click();
    await page.getByLabel("Recovery code").fill(codes[0]!);
    await page.getByRole("button", { name: "Use recovery code" }).click();
    await expect(page.locator("#recovery-code-error")).toHaveText("That recovery code is not right, or was already used.");
    await expect(page).toHaveURL(/\/login\/verify/);
  });

  test("step-up takes an authenticator code; an administrator's reset makes another administrator set up again", async ({
    browser,
    page,
    loginPage,
    server,
    admin,
  }) => {
    const t0 = Date.now();
    await server.at(t0);
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    // 16 minutes later (active meanwhile: administrators idle out after 15), a sensitive page asks again, and the
    // authenticator code will do.
    await server.at(t0 + 8 * 60_000);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
    await server.at(t0 + 16 * 60_000);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/reauth\?next=%2Faccount$/);
    await page.getByLabel("Or a code from your authenticator app").fill("123");
    await page.getByRole("button", { name: "Confirm with code" }).click();
    await expect(page.locator("#reauth-code-error")).toHaveText("Enter the 6-digit code your app shows.");
    await page.getByLabel("Or a code from your authenticator app").fill(nextTotpCode(admin.totpSecret!, t0 + 16 * 60_000));
    await page.getByRole("button", { name: "Confirm with code" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("mfa-status")).toContainText("On:");

    // Another administrator lost their phone: this one resets their factors.
    const other = await makeUser("admin");
    await page.goto(`/admin/users/${other.id}`);
    await expect(page.getByTestId("account-summary")).toContainText("two-step verification on");
    await page.getByTestId("reset-mfa").getByRole("button", { name: "Reset two-step verification" }).click();
    await expect(page.getByTestId("reset-mfa")).toContainText(`Two-step verification reset for ${other.username}`);
    await expect(page.getByTestId("account-summary")).toContainText("no second factor");

    const theirs = await browser.newContext();
    const theirPage = await theirs.newPage();
    const theirLogin = new LoginPage(theirPage);
    await theirLogin.goto();
    await theirLogin.signIn(other.username, other.password, { secondFactor: false });
    await expect(theirPage).toHaveURL(/\/account\/security/);
    await expect(theirPage.getByTestId("enrolment-required")).toBeVisible();
    await theirs.close();
  });

  test.describe("passkeys", () => {
    // WebAuthn needs a domain for its relying party, not an address: the app's own origin (APP_URL is localhost).
    test.use({ baseURL: `http://localhost:${E2E_PORT}` });
    test("a passkey registers from the account, signs in on its own and as a second factor; a cloned one is refused and raises an alert", async ({
      page,
      loginPage,
      user,
    }) => {
      test.slow();
      const cdp: CDPSession = await page.context().newCDPSession(page);
      await cdp.send("WebAuthn.enable");
      const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: {
          protocol: "ctap2",
          transport: "internal",
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      await loginPage.goto();
      await loginPage.signIn(user.username, user.password);
      await expect(page).toHaveURL(/\/dashboard$/);
      await page.goto("/account/security");
      await page.getByLabel("Name for this passkey").fill("Test laptop");
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await expect(page.getByTestId("recovery-code")).toHaveCount(10);
      await expect(page.getByTestId("passkey-item")).toHaveCount(1);
      await expect(page.getByTestId("passkey-item")).toContainText("Test laptop");

      // A passkey alone signs in: no username, no password.
      await signOut(page);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("devices").getByTestId("device-method").first()).toHaveText("passkey");

      // With the password, the passkey is the second factor.
      await signOut(page);
      await loginPage.signIn(user.username, user.password);
      await expect(page).toHaveURL(/\/login\/verify/);
      await page.getByRole("button", { name: "Use your passkey" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("devices").getByTestId("device-method").first()).toHaveText("password + passkey");

      // A copy of the authenticator with an older signature counter: refused, and administrators are told.
      // (The authenticator's key, put back with its counter at 0: what a cloned authenticator presents.)
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      const original = credentials[0]!;
      expect(original.signCount).toBeGreaterThan(1);
      await cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: original.credentialId });
      await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: { ...original, signCount: 0 } });
      await signOut(page);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await expect(page.getByTestId("passkey-sign-in-message")).toHaveText(
        "That passkey could not sign you in. Try again, or sign in with your password.",
      );
      await expect(page).toHaveURL(/\/login/);
      const pool = createPool(process.env.DATABASE_URL!, 1);
      try {
        const alerts = await pool.db
          .select()
          .from(securityAlerts)
          .where(and(eq(securityAlerts.type, "passkey_counter_regressed"), eq(securityAlerts.subject, `user:${user.id}`)));
        expect(alerts.map((a) => a.severity)).toEqual(["high"]);
      } finally {
        await pool.sql.end();
      }
    });
  });
});
