import { randomBytes } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import { createUser } from "@/lib/auth/users";
import { createPool } from "@/lib/db/client";

/** A page object for /login. */
export class LoginPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/login${query}`);
  }

  async signIn(username: string, password: string, options: { rememberMe?: boolean } = {}) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    if (options.rememberMe) await this.page.getByLabel(/remember me/i).check();
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  error() {
    return this.page.getByTestId("login-error");
  }
}

export type TestUser = { username: string; password: string };

type Fixtures = {
  loginPage: LoginPage;
  /** A fresh user of this test's own, so parallel tests never share sessions. */
  user: TestUser;
};

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, provide) => {
    await provide(new LoginPage(page));
  },
  user: async ({}, provide) => {
    const pool = createPool(process.env.DATABASE_URL!, 1);
    const username = `e2e_${randomBytes(5).toString("hex")}`;
    const password = `pw-${randomBytes(9).toString("base64url")}`;
    try {
      await createUser(pool.db, { username, password });
    } finally {
      await pool.sql.end();
    }
    await provide({ username, password });
  },
});

export { expect };
