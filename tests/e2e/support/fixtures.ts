import { randomBytes } from "node:crypto";
import { test as base, expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createUser } from "@/lib/auth/users";
import { createPool } from "@/lib/db/client";
import { userChatStats } from "@/lib/chat/chat-sessions";
import { raiseAlert } from "@/lib/monitor/alerts";
import { authSessions, chatSessions, users, type AuthSession } from "@/lib/db/schema";
import { enrolTestTotp, nextTotpCode, rememberServerTime, serverTimeOf, totpSecretOf } from "./second-factor";

/** A page object for /login. */
export class LoginPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/login${query}`);
  }

  /** Signs in; an account with an authenticator app (test administrators) also gives its code, as a person would. */
  async signIn(username: string, password: string, options: { rememberMe?: boolean; secondFactor?: boolean } = {}) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    if (options.rememberMe) await this.page.getByLabel(/remember me/i).check();
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    const secret = totpSecretOf(username);
    if (secret && options.secondFactor !== false) await this.giveTotpCode(secret);
  }

  async giveTotpCode(secret: string) {
    await expect(this.page).toHaveURL(/\/login\/verify/);
    await this.page.getByLabel("6-digit code from your authenticator app").fill(nextTotpCode(secret, serverTimeOf(this.page.context())));
    await this.page.getByRole("button", { name: "Verify" }).click();
    await expect(this.page).not.toHaveURL(/\/login\/verify/);
  }

  error() {
    return this.page.getByTestId("login-error");
  }

  notice() {
    return this.page.getByTestId("login-notice");
  }
}

/**
 * What the server believes about a browser context: its time (the test clock, honoured because the e2e server
 * runs with ENABLE_TEST_CLOCK) and its address (X-Forwarded-For through one trusted proxy hop).
 */
export class ServerView {
  private headers: Record<string, string> = {};
  constructor(private readonly context: BrowserContext) {}

  async at(time: number) {
    rememberServerTime(this.context, time);
    this.headers["x-growbal-test-now"] = String(Math.round(time));
    await this.context.setExtraHTTPHeaders(this.headers);
  }

  async from(ip: string) {
    this.headers["x-forwarded-for"] = ip;
    await this.context.setExtraHTTPHeaders(this.headers);
  }
}

export type TestUser = { id: string; username: string; password: string; totpSecret?: string; recoveryCodes?: string[] };

/** A fresh account; administrators come with an authenticator app set up unless `secondFactor` is false. */
export async function makeUser(role: "user" | "admin" = "user", options: { secondFactor?: boolean } = {}): Promise<TestUser> {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  const username = `e2e_${randomBytes(5).toString("hex")}`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  try {
    const user = await createUser(pool.db, { username, password, role });
    if (role === "user" || options.secondFactor === false) return { id: user.id, username, password };
    // Administrators cannot act without a second factor: theirs is an authenticator app the tests compute codes for.
    const { secret, recoveryCodes } = await enrolTestTotp(user);
    return { id: user.id, username, password, totpSecret: secret, recoveryCodes };
  } finally {
    await pool.sql.end();
  }
}

/** The user's auth sessions as the database has them, newest first. */
export async function sessionsOf(userId: string): Promise<AuthSession[]> {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const rows = await pool.db.select().from(authSessions).where(eq(authSessions.userId, userId));
    return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  } finally {
    await pool.sql.end();
  }
}

export async function userIdOf(username: string): Promise<string> {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const [row] = await pool.db.select({ id: users.id }).from(users).where(eq(users.username, username));
    return row!.id;
  } finally {
    await pool.sql.end();
  }
}

type Fixtures = {
  loginPage: LoginPage;
  server: ServerView;
  /** A fresh user of this test's own, so parallel tests never share sessions. */
  user: TestUser;
  admin: TestUser;
};

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, provide) => {
    await provide(new LoginPage(page));
  },
  server: async ({ context }, provide) => {
    await provide(new ServerView(context));
  },
  user: async ({}, provide) => {
    await provide(await makeUser("user"));
  },
  admin: async ({}, provide) => {
    await provide(await makeUser("admin"));
  },
});

export { expect };

/** Test-only database surgery: ages a chat past its expiry (the UI has no way to wait 8 hours). */
export async function expireChat(chatId: string): Promise<void> {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    await pool.db
      .update(chatSessions)
      .set({ expiresAt: new Date(Date.now() - 3_600_000) })
      .where(eq(chatSessions.id, chatId));
  } finally {
    await pool.sql.end();
  }
}

export async function statsOf(userId: string) {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    return await userChatStats(pool.db, userId, new Date());
  } finally {
    await pool.sql.end();
  }
}

/** Raises a real alert through the monitor's own code (as a detection rule would). */
export async function raiseTestAlert(
  subject: string,
  severity: "low" | "medium" | "high" = "medium",
  details: Record<string, unknown> = {},
): Promise<string> {
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const { alert } = await raiseAlert(
      pool.db,
      { type: "e2e_rule", severity, subject, message: `Test pattern seen for ${subject}`, details, windowMs: 3_600_000 },
      new Date(),
    );
    return alert.id;
  } finally {
    await pool.sql.end();
  }
}

/** A separate browser (context) signed in as `user`, landed on the dashboard. */
export async function signedInBrowser(
  browser: Browser,
  user: Pick<TestUser, "username" | "password">,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(user.username, user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}
