import AxeBuilder from "@axe-core/playwright";
import { ChatPage, CountryPage } from "./support/chat-pages";
import { expect, makeUser, test } from "./support/fixtures";
import { nextTotpCode } from "./support/second-factor";

/** Automated WCAG 2.1 A/AA checks (axe-core) on the pages people use most. */
async function violations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** CSP violations the browser reports while a test runs (styles included: style elements need the nonce). */
function collectCspViolations(page: import("@playwright/test").Page): string[] {
  const found: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|refused to/i.test(message.text())) found.push(message.text());
  });
  return found;
}

test.describe("accessibility", () => {
  let csp: string[] = [];
  test.beforeEach(({ page }) => {
    csp = collectCspViolations(page);
  });
  test.afterEach(() => {
    expect(csp).toEqual([]);
  });

  test("sign-in, country and chat pages have no WCAG A/AA violations", async ({ page }) => {
    await page.goto("/login?reason=idle_timeout&after=60");
    expect(await violations(page)).toEqual([]);
    await page.goto("/");
    expect(await violations(page)).toEqual([]);
    await new CountryPage(page).start("france", "Legal");
    await new ChatPage(page).send("Where do I start?");
    expect(await violations(page)).toEqual([]);
    await page.goto("/country");
    expect(await violations(page)).toEqual([]);
  });

  test("dashboard and account pages have no WCAG A/AA violations", async ({ page, loginPage, user }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page.getByTestId("device")).toHaveCount(1);
    expect(await violations(page)).toEqual([]);
    await page.goto("/account");
    expect(await violations(page)).toEqual([]);
  });

  test("two-step verification pages have no WCAG A/AA violations: enrolment, recovery codes, the second step", async ({
    page,
    loginPage,
  }) => {
    const admin = await makeUser("admin", { secondFactor: false });
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page.getByTestId("enrolment-required")).toBeVisible();
    expect(await violations(page)).toEqual([]);
    const secret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s/g, "");
    await page.getByLabel("Code from the app").fill("12");
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByLabel("Code from the app")).toHaveAttribute("aria-invalid", "true");
    expect(await violations(page)).toEqual([]);
    await page.getByLabel("Code from the app").fill(nextTotpCode(secret, Date.now()));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByTestId("recovery-code")).toHaveCount(10);
    expect(await violations(page)).toEqual([]);
    await page.getByTestId("recovery-codes-continue").click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
    await loginPage.signIn(admin.username, admin.password, { secondFactor: false });
    await expect(page).toHaveURL(/\/login\/verify/);
    await page.getByText("Lost your device? Use a recovery code").click();
    expect(await violations(page)).toEqual([]);
  });

  test("the site header says who is signed in and where they can go, on every page, at phone and desktop widths", async ({
    page,
    loginPage,
    admin,
  }) => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await page.goto("/country");
    await expect(nav.getByRole("link", { name: "Sign in" })).toBeVisible();
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of ["/dashboard", "/country", "/account", "/no-such-page"]) {
        await page.goto(path);
        await expect(page.getByTestId("header-user")).toHaveText(`Signed in as ${admin.username}`);
        await expect(nav.getByRole("link")).toHaveText(["Dashboard", "Account", "Admin"]);
        await expect(nav.getByRole("button", { name: "Sign out" })).toBeVisible();
      }
      // A styled 404 with a way back, not the framework's bare page.
      await expect(page.getByTestId("not-found")).toBeVisible();
      expect(await violations(page)).toEqual([]);
    }
    await nav.getByRole("link", { name: "Admin" }).click();
    await expect(page).toHaveURL(/\/admin\/security$/);
  });

  test("the admin security page has no WCAG A/AA violations", async ({ page, loginPage, admin }) => {
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/admin/security");
    await expect(page.getByTestId("monitoring-status")).toHaveText("enabled");
    await expect(page.getByTestId("cleanup-total-runs")).toBeVisible();
    expect(await violations(page)).toEqual([]);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto("/admin/events");
      await expect(page.getByTestId("event").first()).toBeVisible();
      expect(await violations(page)).toEqual([]);
      await page.goto(`/admin/users?q=${admin.username}`);
      await page.getByRole("link", { name: admin.username, exact: true }).click();
      await expect(page.getByTestId("account-session").first()).toBeVisible();
      expect(await violations(page)).toEqual([]);
      await page.goto("/admin/users");
      expect(await violations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
  });

  test("the admin security page reads well on a phone: chart labels at text size and inside the chart, no sideways scrolling", async ({
    page,
    loginPage,
    admin,
  }) => {
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/admin/security");
    await expect(page.getByTestId("monitoring-status")).toHaveText("enabled");

    const axis = page.getByTestId("activity-axis").locator("span");
    await expect(axis).toHaveCount(4);
    await expect(axis.first()).toHaveText(/^\d\d:00 UTC$/);
    const chart = (await page.getByTestId("activity-chart").boundingBox())!;
    for (const label of await axis.all()) {
      const box = (await label.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(chart.x);
      expect(box.x + box.width).toBeLessThanOrEqual(chart.x + chart.width + 0.5);
      expect(await label.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBeGreaterThanOrEqual(12);
    }
    await expect(page.getByText("High (24 h)", { exact: true })).toBeVisible();
    // The policies are cards on a phone; nothing on the page needs sideways scrolling.
    await expect(page.getByTestId("policy-cards").getByRole("listitem")).toHaveCount(5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The cleanup's categories in the order it runs them, and the interval's next tick.
    await page.getByRole("button", { name: "Run cleanup now" }).click();
    await expect(page.getByTestId("cleanup-notice")).toContainText("Cleanup finished");
    const categories = page.getByRole("table", { name: "Last run by category" }).getByRole("rowheader");
    await expect(categories.first()).toHaveText("Expired");
    await expect(categories.last()).toHaveText("Old security events");
    await expect(page.getByTestId("cleanup-next-due")).toHaveText(/\d/);
    expect(await violations(page)).toEqual([]);
  });
});
