import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, LoginPage, raiseTestAlert, signedInBrowser, test, userIdOf } from "./support/fixtures";

test.describe("administration", () => {
  test("an administrator sees the policies and runs the cleanup from /admin/security", async ({ page, loginPage, admin }) => {
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await page.getByRole("link", { name: "Security admin" }).click();
    await expect(page.getByRole("heading", { name: "Security", exact: true })).toBeVisible();
    await expect(page.getByTestId("enforcement")).toHaveText("on");
    await expect(page.getByRole("row", { name: /authenticated/ })).toContainText("60 min");

    const runsBefore = Number(await page.getByTestId("cleanup-total-runs").textContent());
    await page.getByRole("button", { name: "Run cleanup now" }).click();
    await expect(page.getByTestId("cleanup-notice")).toContainText(/Cleanup finished: \d+ sessions ended\.|already running/);
    await expect(page.getByTestId("cleanup-total-runs")).not.toHaveText(String(runsBefore));
  });

  test("an administrator changes the cleanup settings at run time and goes back to the defaults", async ({ page, loginPage, admin }) => {
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await page.goto("/admin/security");
    await expect(page.getByTestId("cleanup-settings-source")).toHaveText("The environment's defaults are in force.");
    const orphaned = page.getByRole("checkbox", { name: /Orphaned sessions/ });
    await expect(orphaned).toBeChecked();
    await expect(page.getByRole("button", { name: "Reset to defaults" })).toBeDisabled();

    // A bad interval is caught before anything is sent, and what was typed stays.
    await page.getByLabel("Run every (minutes)").fill("2");
    await page.getByRole("button", { name: "Save cleanup settings" }).click();
    await expect(page.getByText("Enter a number of minutes from 5 to 1440.")).toBeVisible();
    await expect(page.getByLabel("Run every (minutes)")).toHaveValue("2");

    try {
      await orphaned.uncheck();
      await page.getByLabel("Run every (minutes)").fill("15");
      await page.getByRole("button", { name: "Save cleanup settings" }).click();
      await expect(page.getByTestId("cleanup-settings-notice")).toHaveText(
        /Saved: Orphaned sessions \(account gone or disabled\) off; runs every 15 min\./,
      );
      await expect(page.getByTestId("cleanup-status")).toContainText("every 15 min");
      await expect(page.getByTestId("cleanup-settings-source")).toContainText("Changed by an administrator");
      // Persisted: a fresh page load shows what was saved.
      await page.reload();
      await expect(page.getByRole("checkbox", { name: /Orphaned sessions/ })).not.toBeChecked();
      await expect(page.getByLabel("Run every (minutes)")).toHaveValue("15");
      // And recorded: the audit log lists the change with the old and new values.
      await page.goto("/admin/events?type=cleanup_settings_changed");
      const latest = page.getByRole("region", { name: "Latest events" });
      await expect(latest).toContainText("cleanup settings changed");
      await expect(latest).toContainText('"setting":"categories.orphaned"');

      await page.goto("/admin/security");
      await page.getByRole("button", { name: "Reset to defaults" }).click();
      await expect(page.getByTestId("cleanup-settings-notice")).toHaveText("Back to the defaults.");
      await expect(page.getByRole("checkbox", { name: /Orphaned sessions/ })).toBeChecked();
      await expect(page.getByTestId("cleanup-settings-source")).toHaveText("The environment's defaults are in force.");
    } finally {
      // The run's other tests share this server: its settings go back to the defaults whatever happened above.
      await page.request.delete("/api/session/cleanup-settings");
    }
  });

  test("a normal user gets 404 on admin pages and 403 on admin APIs", async ({ page, loginPage, user, admin }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("link", { name: "Security admin" })).toHaveCount(0);
    const response = await page.goto("/admin/security");
    expect(response?.status()).toBe(404);
    expect((await page.goto("/admin/events"))?.status()).toBe(404);
    await expect(page.getByRole("navigation", { name: "Administration" })).toHaveCount(0);
    for (const [method, url] of [
      ["GET", "/api/session/events/export?format=csv"],
      ["GET", "/api/session/cleanup-stats"],
      ["PATCH", "/api/session/cleanup-settings"],
      ["DELETE", "/api/session/cleanup-settings"],
      ["POST", "/api/session/cleanup/run"],
      ["POST", `/api/session/force-cleanup/${admin.id}`],
      ["POST", "/api/session/cleanup/by-criteria"],
      ["PUT", `/api/session/policies/overrides/${admin.id}`],
      ["DELETE", `/api/session/policies/overrides/${admin.id}`],
      ["GET", "/api/session/security-dashboard"],
      ["GET", "/api/session/alerts"],
      ["POST", `/api/session/alerts/${admin.id}/acknowledge`],
      ["POST", `/api/session/alerts/${admin.id}/resolve`],
    ] as const) {
      const api = await page.request.fetch(url, { method, data: {} });
      expect(api.status(), `${method} ${url}`).toBe(403);
    }
  });

  test("an alert about a user names them and their address, and says what it does to their sessions", async ({
    page,
    loginPage,
    admin,
    user,
  }) => {
    const userId = await userIdOf(user.username);
    await raiseTestAlert(`user:${userId}`, "high", { addresses: ["198.51.100.7", "203.0.113.9"] });
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/admin/security");
    const alert = page.getByTestId("alert").filter({ hasText: userId });
    await expect(alert.getByTestId("alert-about")).toHaveText(`user ${user.username} from 203.0.113.9`);
    await expect(alert).toContainText("High: flags the user's sessions for an administrator to end.");
    await alert.getByRole("link", { name: user.username }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/users/${userId}$`));
    await expect(page.getByRole("heading", { name: user.username, level: 1 })).toBeVisible();
  });

  test("an administrator acknowledges and resolves an alert in the browser", async ({ page, loginPage, admin }) => {
    const subject = `ip:198.51.100.${randomBytes(1)[0]}-${randomBytes(3).toString("hex")}`;
    await raiseTestAlert(subject, "high");
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/admin/security");
    await expect(page.getByTestId("monitoring-status")).toHaveText("enabled");

    const alert = page.getByTestId("alert").filter({ hasText: subject });
    await expect(alert).toContainText("Test pattern seen");
    await page.getByLabel("Severity").selectOption("high");
    await expect(alert).toBeVisible();
    await alert.getByRole("button", { name: "Acknowledge" }).click();
    await page.getByLabel("Status").selectOption("acknowledged");
    await expect(alert.getByTestId("alert-status")).toHaveText("Acknowledged");
    await alert.getByLabel("Resolution notes").fill("Office NAT, expected");
    await alert.getByRole("button", { name: "Resolve" }).click();
    await expect(alert).toHaveCount(0);
    await page.getByLabel("Status").selectOption("resolved");
    await expect(alert.getByTestId("alert-status")).toHaveText("Resolved: Office NAT, expected");

    const api = await page.request.get("/api/session/alerts?resolved=true&severity=high");
    const found = (await api.json()).alerts.find((a: { subject: string }) => a.subject === subject);
    expect(found).toMatchObject({
      acknowledged: true,
      resolved: true,
      resolutionNotes: "Office NAT, expected",
      acknowledgedBy: admin.id,
      resolvedBy: admin.id,
    });
    const dashboard = await (await page.request.get("/api/session/security-dashboard")).json();
    expect(dashboard).toMatchObject({ monitoringStatus: "enabled" });
    expect(dashboard.recentActivity.eventTypes.alert_resolved).toBeGreaterThanOrEqual(1);
  });

  test("cross-site POSTs to route handlers are refused", async ({ page, loginPage, user }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    const response = await page.request.delete(`/api/session/me/sessions/${user.id}`, { headers: { origin: "https://evil.example" } });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.message).toBe("Cross-site request refused.");
  });

  test("force sign-out of a user ends their sessions", async ({ browser, admin, user }) => {
    const { context: victimContext, page: victim } = await signedInBrowser(browser, user);
    const { context: adminContext, page: adminPage } = await signedInBrowser(browser, admin);
    const bad = await adminPage.request.post(`/api/session/force-cleanup/${user.id}`, { data: { reason: "" } });
    expect(bad.status()).toBe(400);
    const forced = await adminPage.request.post(`/api/session/force-cleanup/${user.id}`, { data: { reason: "lost laptop" } });
    expect(forced.status()).toBe(200);
    expect(await forced.json()).toEqual({ cleanedSessions: 1, reason: "lost laptop" });

    await victim.goto("/dashboard");
    await expect(victim).toHaveURL(/\/login/);
    await victimContext.close();
    await adminContext.close();
  });

  test("the force sign-out form says what is wrong beside the field and keeps what was typed", async ({ browser, admin, user }) => {
    const { context: victimContext, page: victim } = await signedInBrowser(browser, user);
    const { context: adminContext, page: adminPage } = await signedInBrowser(browser, admin);
    await adminPage.goto("/admin/security");
    await adminPage.locator("#force-username").fill("nobody_by_this_name");
    await adminPage.locator("#force-reason").fill("lost laptop");
    await adminPage.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(adminPage.getByText('No user named "nobody_by_this_name".')).toBeVisible();
    await expect(adminPage.locator("#force-reason")).toHaveValue("lost laptop");

    await adminPage.locator("#force-username").fill(user.username);
    await adminPage.locator("#force-reason").fill("lost laptop");
    await adminPage.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(adminPage.getByTestId("force-notice")).toHaveText(`Signed out ${user.username} everywhere (1 session).`);
    await victim.goto("/dashboard");
    await expect(victim).toHaveURL(/\/login/);
    await victimContext.close();
    await adminContext.close();
  });

  test("the audit log shows an administrator's own actions, filters them, and exports what it shows", async ({
    page,
    loginPage,
    admin,
  }) => {
    const alertId = await raiseTestAlert(`ip:198.51.100.${randomBytes(1)[0]}-${randomBytes(3).toString("hex")}`, "medium");
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    const acknowledged = await page.request.post(`/api/session/alerts/${alertId}/acknowledge`, { data: {} });
    expect(acknowledged.status()).toBe(200);

    await page.goto("/admin/security");
    await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(/\/admin\/events$/);
    await page.getByLabel("User", { exact: true }).fill(admin.username);
    await page.getByLabel("Event type").selectOption("alert_acknowledged");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(new RegExp(`user=${admin.username}&type=alert_acknowledged`));
    const events = page.getByTestId("event");
    await expect(events).toHaveCount(1);
    await expect(events.first()).toContainText(`alert acknowledged${admin.username}`);
    await expect(events.first()).toContainText(alertId);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csv = fs
      .readFileSync(await (await download).path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(alertId);
    const json = await (
      await page.request.get(`/api/session/events/export?format=json&user=${admin.username}&type=alert_acknowledged`)
    ).json();
    expect(json).toMatchObject({ count: 1, truncated: false, events: [{ type: "alert_acknowledged", username: admin.username }] });

    await page.goto("/admin/events?from=yesterday");
    await expect(page.getByTestId("events-error")).toHaveText("Use a date such as 2026-12-03 or 2026-12-03T14:30 (UTC).");
    const bad = await page.request.get("/api/session/events/export?format=xml");
    expect(bad.status()).toBe(400);
  });

  test("an administrator creates, finds, disables, re-enables and promotes a user in the browser, and each change is in the audit log", async ({
    page,
    browser,
    loginPage,
    admin,
  }) => {
    const username = `e2e_made_${randomBytes(3).toString("hex")}`;
    const password = `Made-by-admin-${randomBytes(6).toString("hex")}`;
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/admin/users");
    await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Users" })).toHaveAttribute(
      "aria-current",
      "page",
    );

    const create = page.getByRole("form", { name: "Create a user" });
    await create.getByLabel("Username").fill(username);
    await create.getByLabel("Password").fill("short");
    await create.getByRole("button", { name: "Create user" }).click();
    // Refused beside the field, and the username kept.
    await expect(create.getByText("Password must be at least 12 characters.")).toBeVisible();
    await expect(create.getByLabel("Username")).toHaveValue(username);
    await create.getByLabel("Password").fill(password);
    await create.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByTestId("create-user-notice")).toHaveText(`Created user ${username}.`);

    await page.getByLabel("Username contains").fill(username.slice(4));
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("user-row")).toHaveCount(1);
    const first = await signedInBrowser(browser, { username, password });
    await page.getByRole("link", { name: username }).click();
    await expect(page.getByTestId("account-summary")).toContainText("User · Active");
    await expect(page.getByTestId("account-session")).toHaveCount(1);
    await page.getByTestId("end-session").getByRole("button", { name: "End this session" }).click();
    await expect(page.getByTestId("account-session")).toHaveCount(0);
    await first.page.goto("/dashboard");
    await expect(first.page.getByTestId("login-notice")).toHaveText("An administrator signed you out.");
    await first.context.close();

    const { context: theirs, page: theirPage } = await signedInBrowser(browser, { username, password });
    await page.reload();
    await expect(page.getByTestId("account-session")).toHaveCount(1);

    await page.getByTestId("toggle-disabled").getByRole("button", { name: "Disable account" }).click();
    await expect(page.getByTestId("toggle-disabled")).toContainText(`Disabled ${username}; 1 session ended.`);
    await expect(page.getByTestId("account-summary")).toContainText("User · Disabled");
    await theirPage.goto("/dashboard");
    await expect(theirPage).toHaveURL(/\/login/);
    await page.getByTestId("toggle-disabled").getByRole("button", { name: "Enable account" }).click();
    await expect(page.getByTestId("account-summary")).toContainText("User · Active");

    await page.getByTestId("change-role").getByLabel("Role").selectOption("admin");
    await page.getByTestId("change-role").getByRole("button", { name: "Change role" }).click();
    await expect(page.getByTestId("change-role")).toContainText(`${username} is now an administrator; their sessions were ended.`);
    await expect(page.getByTestId("account-summary")).toContainText("Administrator · Active");

    await page.goto(`/admin/events?user=${username}`);
    await expect(page.getByTestId("event").filter({ hasText: /user (created|disabled|enabled|role changed)/ })).toHaveCount(4);
    await theirs.close();
  });

  test("a password an administrator sets must be replaced at the next sign-in before anything else", async ({
    page,
    browser,
    loginPage,
    admin,
    user,
  }) => {
    const given = `Given-by-admin-${randomBytes(6).toString("hex")}`;
    const own = `Chosen-by-me-${randomBytes(6).toString("hex")}`;
    await loginPage.goto();
    await loginPage.signIn(admin.username, admin.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto(`/admin/users/${await userIdOf(user.username)}`);
    await page.getByTestId("reset-password").getByLabel("New password").fill(given);
    await page.getByTestId("reset-password").getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByTestId("reset-password")).toContainText(`New password set for ${user.username}`);

    const context = await browser.newContext();
    const theirs = await context.newPage();
    const login = new LoginPage(theirs);
    await login.goto();
    await login.signIn(user.username, given);
    await expect(theirs).toHaveURL(/\/account\?notice=password_change_required$/);
    await expect(theirs.getByTestId("not-me-notice")).toContainText("An administrator set your password.");
    for (const path of ["/dashboard", "/admin/security"]) {
      await theirs.goto(path);
      await expect(theirs).toHaveURL(/\/account\?notice=password_change_required$/);
    }

    await theirs.getByLabel("Current password").fill(given);
    await theirs.getByLabel("New password", { exact: true }).fill(own);
    await theirs.getByLabel("Repeat new password").fill(own);
    await theirs.getByRole("button", { name: "Change password" }).click();
    await expect(theirs.getByTestId("password-notice")).toContainText("Your password was changed.");
    await theirs.goto("/dashboard");
    await expect(theirs.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
    await context.close();
  });
});
