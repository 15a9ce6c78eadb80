import { afterEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { routeLabel } from "@/lib/http/route-label";
import { makeUser } from "./support";

const SECRET = "metrics-secret-for-tests";
const scrape = (authorization?: string) =>
  metricsRoute(new Request("http://localhost:3000/api/metrics", { headers: authorization ? { authorization } : {} }));

afterEach(() => {
  delete process.env.METRICS_SECRET;
  resetConfigForTests();
});

describe("/api/metrics", () => {
  it("is off without METRICS_SECRET, and refuses a wrong secret", async () => {
    expect((await scrape(`Bearer ${SECRET}`)).status).toBe(404);
    process.env.METRICS_SECRET = SECRET;
    resetConfigForTests();
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-secret-at-all")).status).toBe(401);
  });

  it("counts requests by route and status, and sign-ins by outcome, in Prometheus text", async () => {
    process.env.METRICS_SECRET = SECRET;
    resetConfigForTests();
    await health(new Request("http://localhost:3000/api/health"));
    const user = await makeUser();
    const attempt = (password: string) =>
      signInWithPassword(getDb(), {
        username: user.username,
        password,
        rememberMe: false,
        previous: null,
        clientIp: "203.0.113.60",
        userAgent: "test",
        now: new Date(),
      });
    await attempt("wrong-password-here");
    await attempt(user.password);

    const response = await scrape(`Bearer ${SECRET}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/growbal_http_requests_total\{route="\/api\/health",method="GET",status="200"\} [1-9]/);
    expect(text).toMatch(/growbal_sign_ins_total\{method="password",outcome="failed"\} [1-9]/);
    expect(text).toMatch(/growbal_sign_ins_total\{method="password",outcome="ok"\} [1-9]/);
    expect(text).toContain("growbal_process_cpu_seconds_total");
    // Never a user's name or a secret.
    expect(text).not.toContain(user.username);
    expect(text).not.toContain(SECRET);
  });

  it("labels routes without their ids", () => {
    expect(routeLabel("/api/session/alerts/6f1d1c56-8a7e-4d5b-9a53-6c1a2f0e4b11/resolve")).toBe("/api/session/alerts/:id/resolve");
    expect(routeLabel("/api/chat/6F1D1C56-8A7E-4D5B-9A53-6C1A2F0E4B11/messages")).toBe("/api/chat/:id/messages");
  });
});
