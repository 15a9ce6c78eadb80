import { expect, test } from "./support/fixtures";

/**
 * The run's server sits behind one trusted proxy hop (TRUSTED_PROXY_HOPS=1): the proxy's request id is kept, so
 * its logs and ours agree; an id that could not be one is replaced. Pages and APIs, errors included, carry it.
 */
test("a trusted proxy's request id is kept and returned; a malformed one is replaced", async ({ request }) => {
  const kept = await request.get("/api/health", { headers: { "x-request-id": "lb-7f3a9c21-0001" } });
  expect(kept.headers()["x-request-id"]).toBe("lb-7f3a9c21-0001");

  const replaced = await request.get("/api/health", { headers: { "x-request-id": "no spaces <allowed>" } });
  expect(replaced.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  const page = await request.get("/login");
  const api = await request.get("/api/session/me");
  expect(api.status()).toBe(401);
  const ids = [page.headers()["x-request-id"], api.headers()["x-request-id"]];
  for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(new Set(ids).size).toBe(2);
});

test("a refused form submission's page shows its request id as the reference", async ({ request }) => {
  const response = await request.post("/login", {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-request-id": "lb-refused-form-0002" },
    data: "x=" + "a".repeat(200_000),
  });
  expect(response.status()).toBe(413);
  expect(await response.text()).toContain("Reference: lb-refused-form-0002");
});
