import { expect, type Page } from "@playwright/test";

/** Page objects for /country and /chat/{id}. */
export class CountryPage {
  constructor(readonly page: Page) {}

  async start(search: string, service: string): Promise<string> {
    await this.page.goto("/country");
    await this.page.getByLabel("Search countries").fill(search);
    await this.page.getByLabel("Search countries").press("Enter");
    await this.page.getByRole("radio", { name: new RegExp(service) }).check();
    await this.page.getByRole("button", { name: "Start chat" }).click();
    await expect(this.page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
    return this.page.url().split("/chat/")[1]!;
  }
}

export class ChatPage {
  constructor(readonly page: Page) {}

  async send(text: string) {
    const replies = await this.page.getByTestId("message-assistant").count();
    await this.page.getByLabel("Your message").fill(text);
    await this.page.getByLabel("Your message").press("Enter");
    await expect(this.page.getByTestId("message-assistant")).toHaveCount(replies + 1);
    await expect(this.page.getByRole("button", { name: "Send" })).toBeEnabled();
  }

  lastReply() {
    return this.page.getByTestId("message-assistant").last();
  }
}
