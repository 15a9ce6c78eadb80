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
    expect((await fetch(`${baseURL}/api/session/alerts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const noAdmin = await makeUser("admin", { secondFactor: false });
    expect((await post({ username: noAdmin.username, password: noAdmin.password })).status).toBe(403);
  });
});
