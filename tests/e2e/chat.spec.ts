import { ChatPage, CountryPage } from "./support/chat-pages";
import { mailTo } from "./support/mailbox";
import { expect, expireChat, signedInBrowser, statsOf, test } from "./support/fixtures";

test.describe("country, chat and dashboard", () => {
  test("an anonymous visitor chats, signs in, and finds the chat on the dashboard", async ({ page, user, loginPage }) => {
    const chatId = await new CountryPage(page).start("united arab", "Company Formation");
    const chat = new ChatPage(page);
    await expect(page.getByRole("heading", { name: "United Arab Emirates - Company Formation" })).toBeVisible();
    await chat.send("Where do I start?");
    await expect(chat.lastReply()).toContainText("United Arab Emirates");
    await expect(chat.lastReply()).toContainText("Offline assistant");

    await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(new RegExp(`/chat/${chatId}$`));
    await expect(page.getByTestId("message-user")).toHaveText(/Where do I start\?/);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByRole("heading", { name: `Welcome back, ${user.username}!` })).toBeVisible();
    const row = page.getByTestId("chat-session");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("United Arab Emirates - Company Formation");
    await expect(row.getByTestId("message-count")).toHaveText("2");
    // In the browser's locale (Playwright's Chromium: en-US).
    await expect(row).toContainText(/Created: [A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2}\s(AM|PM)/);
    await expect(row.getByText("Expired")).toHaveCount(0);

    // Every number on the dashboard is what the database says.
    const stats = await statsOf(user.id);
    expect(stats).toEqual({ activeSessions: 1, totalMessages: 2, countriesExplored: 1 });
    await expect(page.getByTestId("stat-active")).toHaveText(String(stats.activeSessions));
    await expect(page.getByTestId("stat-messages")).toHaveText(String(stats.totalMessages));
    await expect(page.getByTestId("stat-countries")).toHaveText(String(stats.countriesExplored));

    await row.getByRole("link", { name: "Continue" }).click();
    await expect(page).toHaveURL(new RegExp(`/chat/${chatId}$`));
    await chat.send("How much does it cost?");
    await expect(chat.lastReply()).toContainText(/itemised quote/);
  });

  test("picking the same country and service again continues the same chat", async ({ page }) => {
    const first = await new CountryPage(page).start("germany", "Banking");
    const second = await new CountryPage(page).start("germany", "Banking");
    expect(second).toBe(first);
    const other = await new CountryPage(page).start("germany", "Legal");
    expect(other).not.toBe(first);
  });

  test("an expired chat is read-only and offers a new session", async ({ page, loginPage, user }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText("No chat sessions yet.")).toBeVisible();
    const chatId = await new CountryPage(page).start("saudi", "Tax Services");
    await new ChatPage(page).send("Do I need VAT?");
    await expireChat(chatId);

    await page.goto("/dashboard");
    const row = page.getByTestId("chat-session");
    await expect(row.getByText("Expired")).toBeVisible();
    await expect(page.getByTestId("stat-active")).toHaveText("0");
    await row.getByRole("link", { name: "Continue" }).click();
    await expect(page.getByText("This chat session has expired and is read-only.")).toBeVisible();
    await expect(page.getByLabel("Your message")).toHaveCount(0);
    await page.getByRole("link", { name: "Start a new session" }).click();
    await expect(page).toHaveURL(/\/country\?country=SA&service=tax$/);
    await expect(page.getByLabel("Country", { exact: false }).locator("option:checked")).toHaveText("Saudi Arabia");
    await page.getByRole("button", { name: "Start chat" }).click();
    await expect(page).toHaveURL(/\/chat\//);
    expect(page.url()).not.toContain(chatId);
  });

  test("another person's chat is a 404, for signed-in users and anonymous visitors alike", async ({ page, browser, user }) => {
    const chatId = await new CountryPage(page).start("qatar", "Legal");
    const { context: stranger, page: strangerPage } = await signedInBrowser(browser, user);
    const response = await strangerPage.goto(`/chat/${chatId}`);
    expect(response?.status()).toBe(404);
    await expect(strangerPage.getByText(/could not be found/i)).toBeVisible();
    const api = await strangerPage.request.post(`/api/chat/${chatId}/messages`, { data: { content: "hi" } });
    expect(api.status()).toBe(404);
    await stranger.close();
  });

  test("messages are validated and nothing typed is lost", async ({ page }) => {
    await new CountryPage(page).start("oman", "Banking");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("chat-error")).toHaveText("Write a message.");
    const tooLong = await page.request.post(page.url().replace("/chat/", "/api/chat/") + "/messages", {
      data: { content: "x".repeat(4001) },
    });
    expect(tooLong.status()).toBe(400);
    expect((await tooLong.json()).error.message).toMatch(/at most 4,000 characters/);
    const withNul = await page.request.post(page.url().replace("/chat/", "/api/chat/") + "/messages", {
      data: { content: "hello\u0000there" },
    });
    expect(withNul.status()).toBe(400);
  });

  test("a message that could not be saved goes back in the box with the reason", async ({ page }) => {
    await new CountryPage(page).start("oman", "Visas");
    // The server answers the way it does when saving the message failed (the database was out of reach).
    await page.route("**/api/chat/*/messages", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/plain; charset=utf-8",
        body: "\u0000turn-error:The service is briefly unavailable, so your message was not sent. Please try again in a moment.",
      }),
    );
    await page.getByLabel("Your message").fill("Which visa lets me work?");
    await page.getByLabel("Your message").press("Enter");
    await expect(page.getByTestId("chat-error")).toHaveText(
      "The service is briefly unavailable, so your message was not sent. Please try again in a moment.",
    );
    await expect(page.getByLabel("Your message")).toHaveValue("Which visa lets me work?");
    await expect(page.getByTestId("message-user")).toHaveCount(0);
  });

  test("a new network does not end an anonymous chat (anonymous sessions are not IP-bound)", async ({ page, server }) => {
    await server.from("203.0.113.10");
    await new CountryPage(page).start("kenya", "Real Estate");
    await server.from("198.51.100.20");
    await page.reload();
    await new ChatPage(page).send("Can foreigners own land?");
    await expect(new ChatPage(page).lastReply()).toContainText("Kenya");
  });
});

test.describe("signed-in devices", () => {
  test("lists this device and others, and 'sign out all other devices' really ends the other browser's session", async ({
    page,
    browser,
    loginPage,
    user,
  }) => {
    const { context: other, page: otherPage } = await signedInBrowser(browser, user, {
      userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
    });

    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    const devices = page.getByTestId("device");
    await expect(devices).toHaveCount(2);
    await expect(devices.filter({ hasText: "This device" })).toHaveCount(1);
    await expect(devices.filter({ hasText: "Firefox 145 on Linux" })).toHaveCount(1);

    await page.getByRole("button", { name: "Sign out all other devices" }).click();
    await expect(page.getByTestId("sign-out-others-notice")).toHaveText("Signed out 1 other device.");
    await expect(devices).toHaveCount(1);

    await otherPage.goto("/dashboard");
    await expect(otherPage).toHaveURL(/\/login/);
    await other.close();
  });

  test("one other device can be signed out from the list", async ({ page, browser, loginPage, user }) => {
    const { context: other, page: otherPage } = await signedInBrowser(browser, user);

    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    const devices = page.getByTestId("device");
    await expect(devices).toHaveCount(2);
    await devices.filter({ hasNotText: "This device" }).getByRole("button", { name: "Sign out" }).click();
    await expect(devices).toHaveCount(1);
    await otherPage.goto("/dashboard");
    await expect(otherPage).toHaveURL(/\/login/);
    await other.close();
  });
});

test.describe("new-device notice", () => {
  test("a sign-in from a new browser and network is shown and mailed to the owner, and 'This wasn't me' ends it", async ({
    page,
    loginPage,
    server,
    user,
    browser,
  }) => {
    await server.from("198.51.100.5");
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("new-device-notice")).toHaveCount(0);
    // The owner gives an address for security notices on /account (a typo is refused first, keeping what was typed).
    const email = `${user.username}@growbal.test`;
    await page.goto("/account");
    await page.getByLabel("Email for security notices").fill("not-an-address");
    await page.getByRole("button", { name: "Save email" }).click();
    await expect(page.getByText("Enter an email address such as you@example.com, or leave it empty.")).toBeVisible();
    await expect(page.getByLabel("Email for security notices")).toHaveValue("not-an-address");
    await page.getByLabel("Email for security notices").fill(email);
    await page.getByRole("button", { name: "Save email" }).click();
    await expect(page.getByTestId("email-notice")).toHaveText(`Security notices will be mailed to ${email}.`);
    await page.goto("/dashboard");

    const { context: intruder, page: intruderPage } = await signedInBrowser(browser, user, {
      userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
      extraHTTPHeaders: { "x-forwarded-for": "203.0.113.9" },
    });
    await page.reload();
    const notice = page.getByTestId("new-device-notice");
    await expect(notice).toContainText("New sign-in: Firefox on Windows from 203.0.113.x");
    // The owner is mailed once, after the response, through the run's SMTP server: the device and what to do.
    await expect.poll(async () => (await mailTo(email)).length, { timeout: 20_000 }).toBe(1);
    const [mail] = await mailTo(email);
    expect(mail?.subject).toBe("New sign-in to your Growbal account");
    expect(mail?.text).toContain("Firefox on Windows from 203.0.113.x");
    expect(mail?.text).toContain("/dashboard");
    const cookies = (await intruder.cookies()).map((c) => c.value);
    for (const secret of [user.password, ...cookies]) expect(mail?.raw).not.toContain(secret);
    await notice.getByRole("button", { name: "This wasn’t me" }).click();
    await expect(page).toHaveURL(/\/account\?notice=not_me$/);
    await expect(page.getByTestId("not-me-notice")).toContainText("We signed out that session");

    await intruderPage.goto("/dashboard");
    await expect(intruderPage).toHaveURL(/\/login/);
    await intruder.close();
  });
});
