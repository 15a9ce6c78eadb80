import type { Browser } from "@playwright/test";
import { ChatPage, CountryPage } from "./support/chat-pages";
import { expect, test } from "./support/fixtures";
import { ANONYMOUS_DEFAULTS_ENV, E2E_SERVER_ENV, SERVER, startServer, type RunningServer } from "./support/server";

/**
 * The anonymous quotas as shipped (three open chats per network) with a small message quota, on a server of their
 * own: the main e2e server lifts them because every test browser comes from one address. Each visitor here has
 * its own address through X-Forwarded-For (one trusted proxy hop).
 */
test.describe.configure({ mode: "default" });
const port = 3109;
const baseURL = `http://127.0.0.1:${port}`;
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({
    command: SERVER,
    baseURL,
    env: { ...E2E_SERVER_ENV, ...ANONYMOUS_DEFAULTS_ENV, ANONYMOUS_MESSAGES_PER_HOUR: "2", PORT: String(port), APP_URL: baseURL },
    log: "e2e-server-anonymous-quota.log",
    timeoutMs: 60_000,
  });
});

test.afterAll(async () => {
  await server?.stop();
});

async function visitorFrom(browser: Browser, address: string) {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": address } });
  return { context, page: await context.newPage() };
}

test("a fourth chat from one network without signing in is refused with the reason; another network is not held back", async ({
  browser,
}) => {
  const visitors = [];
  for (const host of [1, 2, 3]) {
    const visitor = await visitorFrom(browser, `198.18.40.${host}`);
    await new CountryPage(visitor.page).start("oman", "Banking");
    visitors.push(visitor);
  }

  const fourth = await visitorFrom(browser, "198.18.40.99");
  await fourth.page.goto("/country");
  await fourth.page.getByLabel("Search countries").fill("oman");
  await fourth.page.getByLabel("Search countries").press("Enter");
  await fourth.page.getByRole("radio", { name: /Banking/ }).check();
  await fourth.page.getByRole("button", { name: "Start chat" }).click();
  await expect(fourth.page.getByTestId("start-chat-error")).toHaveText(
    "Three chats are already open from your network without signing in, the most we allow. Sign in to start another, or go back to one of them.",
  );
  await expect(fourth.page).toHaveURL(/\/country$/);
  await expect(fourth.page.getByRole("radio", { name: /Banking/ })).toBeChecked();

  // The three open chats still work, and a visitor on another network starts one.
  await new ChatPage(visitors[0]!.page).send("Is a local bank account required?");
  const elsewhere = await visitorFrom(browser, "198.18.41.1");
  await new CountryPage(elsewhere.page).start("oman", "Banking");
  for (const { context } of [...visitors, fourth, elsewhere]) await context.close();
});

test("messages past the hourly quota are refused with the reason, and the draft stays in the box", async ({ browser }) => {
  const { context, page } = await visitorFrom(browser, "198.18.50.1");
  const chatId = await new CountryPage(page).start("qatar", "Legal");
  const chat = new ChatPage(page);
  await chat.send("First question");
  await chat.send("Second question");

  await page.getByLabel("Your message").fill("Third question");
  await page.getByLabel("Your message").press("Enter");
  await expect(page.getByTestId("chat-error")).toHaveText(
    "You have reached two messages in an hour without signing in, the most we allow. Sign in to keep chatting; your message is still in the box.",
  );
  await expect(page.getByLabel("Your message")).toHaveValue("Third question");
  await expect(page.getByTestId("message-user")).toHaveCount(2);

  const api = await page.request.post(`/api/chat/${chatId}/messages`, { data: { content: "Fourth" } });
  expect(api.status()).toBe(429);
  expect(api.headers()["retry-after"]).toBe("3600");
  expect((await api.json()).error.code).toBe("rate_limited");
  await context.close();
});
