import { expect, makeUser, test } from "./support/fixtures";
import { nextTotpCode } from "./support/second-factor";

/**
 * A script's view of the API: a token from POST /api/session/token, used as `Authorization: Bearer`, revoked with
 * DELETE. Plain fetch, no browser: no cookies, no Origin header unless a test adds one.
 */

type Issued = { token: string; sessionId: string; expiresAt: string };

test.describe("API tokens", () => {
  test("a script gets a token, calls the JSON APIs with it, is told why it is refused, and revokes it", async ({ baseURL, user }) => {
    const api = (path: string, init: RequestInit = {}) => fetch(`${baseURL}${path}`, { ...init, redirect: "manual" });
    const json = { "content-type": "application/json" };

    const wrong = await api("/api/session/token", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ username: user.username, password: "not-it-at-all" }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: "unauthorized", message: "Invalid username or password" } });
    const bad = await api("/api/session/token", { method: "POST", headers: json, body: JSON.stringify({ username: user.username }) });
    expect(bad.status).toBe(400);

    const created = await api("/api/session/token", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as Issued;
    expect(issued.token).toMatch(/^gbt_[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const bearer = { authorization: `Bearer ${issued.token}` };

    const me = await api("/api/session/me", { headers: bearer });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { session: { kind: string } }).session.kind).toBe("api");
    expect((await api("/api/session/policies", { headers: bearer })).status).toBe(200);
    // Not an admin: admin APIs say so.
    expect((await api("/api/session/alerts", { headers: bearer })).status).toBe(403);
    // No ambient credential, so no cross-site check: a state change with a foreign Origin is judged on the token.
    const foreign = await api(`/api/session/me/sessions/${issued.sessionId}`, {
      method: "DELETE",
      headers: { ...bearer, origin: "https://elsewhere.example" },
    });
    expect(foreign.status).not.toBe(403);

    // A token opens JSON APIs only: pages stay for browsers, and a token is not a cookie.
    const page = await api("/dashboard", { headers: bearer });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toMatch(/\/login/);
    const asCookie = await api("/api/session/me", { headers: { cookie: `growbal_session=${issued.token}` } });
    expect(asCookie.status).toBe(401);

    // Revoked: refused at once, saying why.
    const second = (await (
      await api("/api/session/token", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ username: user.username, password: user.password }),
      })
    ).json()) as Issued;
    const secondBearer = { authorization: `Bearer ${second.token}` };
    const revoked = await api("/api/session/token", { method: "DELETE", headers: secondBearer });
    expect(revoked.status).toBe(200);
    const after = await api("/api/session/me", { headers: secondBearer });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string; reason?: string } }).error).toMatchObject({
      code: "session_ended",
      reason: "logout",
    });
    const garbage = await api("/api/session/me", { headers: { authorization: "Bearer gbt_nonsense" } });
    expect(garbage.status).toBe(401);
  });

  test("an administrator's token needs the authenticator code", async ({ baseURL, admin }) => {
    const post = (body: object) =>
      fetch(`${baseURL}/api/session/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const missing = await post({ username: admin.username, password: admin.password });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("mfa_required");
    const ok = await post({ username: admin.username, password: admin.password, otp: nextTotpCode(admin.totpSecret!, Date.now()) });
    expect(ok.status).toBe(201);
    const { token } = (await ok.json()) as Issued;
    const bearer = { authorization: `Bearer ${token}` };
    // Administration is for the browser, under the admin policy's bindings: an API token is not enough.
    const alerts = await fetch(`${baseURL}/api/session/alerts`, { headers: bearer });
    expect(alerts.status).toBe(403);
    expect(((await alerts.json()) as { error: { message: string } }).error.message).toMatch(/not available to API tokens/);
    // Nor can a request's own headers make a page read the token: a file-like path to an admin page goes through
    // middleware too, which drops the forged internal header, and pages read cookies only.
    const forged = await fetch(`${baseURL}/admin/users/${admin.id}.png`, {
      headers: { ...bearer, "x-growbal-path": "/api/session/me" },
      redirect: "manual",
    });
    expect(forged.status).toBe(303);
    expect(forged.headers.get("location")).toMatch(/\/login/);
    const noAdmin = await makeUser("admin", { secondFactor: false });
    expect((await post({ username: noAdmin.username, password: noAdmin.password })).status).toBe(403);
  });
});

test("the API describes itself at /api/openapi.json", async ({ baseURL }) => {
  const response = await fetch(`${baseURL}/api/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(document.openapi).toMatch(/^3\.1\./);
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/session/token", "/api/chat/{sessionId}/messages"]));
});

test.describe("personal access tokens", () => {
  test("made on the account page with a name, expiry and scope; read-only reads, read-write writes; revoked at once", async ({
    page,
    context,
    loginPage,
    user,
    baseURL,
  }) => {
    await loginPage.goto();
    await loginPage.signIn(user.username, user.password);
    await expect(page).toHaveURL(/\/dashboard/);
    await page.goto("/account");
    await expect(page.getByTestId("no-access-tokens")).toBeVisible();

    // A name is needed; what was chosen stays chosen.
    await page.getByLabel("Expires after").selectOption("7");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText("Give the token a name, such as the script that will use it.")).toBeVisible();
    await expect(page.getByLabel("Expires after")).toHaveValue("7");

    const create = async (name: string, scope: "Read-only" | "Read and write") => {
      await page.getByLabel("Name", { exact: true }).fill(name);
      await page.getByLabel(scope).check();
      await page.getByRole("button", { name: "Create token" }).click();
      await expect(page.getByTestId("access-token-notice")).toContainText(`Token "${name}" created`);
      return page.getByTestId("new-access-token").inputValue();
    };
    const readOnly = await create("report script", "Read-only");
    expect(readOnly).toMatch(/^gbt_/);
    await expect(page.getByTestId("access-token").filter({ hasText: "report script" })).toContainText("Read-only");
    await expect(page.getByTestId("access-token").filter({ hasText: "report script" })).toContainText("never used");

    // Two minutes on (the server's test clock): activity is written at most once a minute, so the use shows.
    const api = (path: string, token: string, method = "GET") =>
      fetch(`${baseURL}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "x-growbal-test-now": String(Date.now() + 2 * 60_000) },
        redirect: "manual",
      });
    expect((await api("/api/session/policies", readOnly)).status).toBe(200);
    // Nor is the browser's cookie a bearer token.
    const cookie = (await context.cookies()).find((c) => c.name === "growbal_session");
    expect(cookie).toBeDefined();
    expect((await api("/api/session/policies", cookie!.value)).status).toBe(401);
    const write = await api("/api/session/token", readOnly, "DELETE");
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe("insufficient_scope");
    // A token never counts as a recent sign-in, so it cannot do what needs one.
    const readWrite = await create("deploy bot", "Read and write");
    const otherDevice = (await (await api("/api/session/me/sessions", readWrite)).json()) as {
      sessions: { id: string; current: boolean }[];
    };
    const browserSession = otherDevice.sessions.find((s) => !s.current);
    expect(browserSession).toBeDefined();
    const stepUp = await api(`/api/session/me/sessions/${browserSession!.id}`, readWrite, "DELETE");
    expect(stepUp.status).toBe(403);
    expect(((await stepUp.json()) as { error: { code: string } }).error.code).toBe("reauth_required");

    await page.reload();
    await expect(page.getByTestId("access-token").filter({ hasText: "report script" })).toContainText("last used");
    await expect(page.getByTestId("new-access-token")).toHaveCount(0);
    await page.getByRole("button", { name: "Revoke token report script" }).click();
    await expect(page.getByTestId("access-token").filter({ hasText: "report script" })).toHaveCount(0);
    const revoked = await api("/api/session/policies", readOnly);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { reason?: string } }).error.reason).toBe("revoked_by_user");
    // The read-write token deletes itself.
    expect((await api("/api/session/token", readWrite, "DELETE")).status).toBe(200);
    expect((await api("/api/session/policies", readWrite)).status).toBe(401);
  });
});
