import http from "node:http";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { CountryPage } from "./support/chat-pages";
import { expect, test } from "./support/fixtures";
import { loginFormFields, signInFields } from "./support/login-form";
import { processTree, runToEnd, stillRunning } from "./support/process-tree";
import { FRESH_CLONE_ENV, ROOT, startServer, type RunningServer } from "./support/server";

/**
 * `npm start` as an operator runs it: its own data folder (GROWBAL_DATA_DIR) with the embedded database, stopped
 * by signals to the top process, with the admin CLI and a second start beside it.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

const DEMO = { username: "demo", password: "demo-password-123" };
const folders: string[] = [];

test.afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

function dataFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "growbal-lifecycle-"));
  fs.chmodSync(folder, 0o755); // the embedded server may run as another user
  folders.push(folder);
  return folder;
}

let starts = 0;
function npmStart(dataDir: string, port: number, env: Record<string, string> = {}): Promise<RunningServer> {
  starts += 1;
  return startServer({
    command: ["npm", "start"],
    baseURL: `http://localhost:${port}`,
    env: { ...FRESH_CLONE_ENV, GROWBAL_DATA_DIR: dataDir, PORT: String(port), ...env },
    log: `e2e-npm-start-${port}-${starts}.log`,
    timeoutMs: 180_000,
  });
}

async function gone(pids: number[]): Promise<void> {
  await expect.poll(() => stillRunning(pids), { timeout: 60_000, message: "processes of the stopped tree" }).toEqual([]);
}

/** An OpenAI-compatible stand-in that sends the first piece of its reply, then holds the rest until released. */
async function heldAssistant() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", async () => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const send = (content: string) => response.write(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
      send("Open a bank account ");
      await released;
      send("once the trade licence is issued.");
      response.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, release, full: "Open a bank account once the trade licence is issued.", close: () => server.close() };
}

type Outcome = { status: number; cookie: string | null; error: string | null } | "connection failed";
type SignIn = { sent: Promise<void>; outcome: Promise<Outcome> };

function postSignIn(port: number, fields: [string, string][], username: string, password: string): SignIn {
  // multipart/form-data, as the form's encType says (React reads server-action fields only from that).
  const boundary = "----growbal-lifecycle-test";
  const body =
    signInFields(fields, username, password)
      .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join("") + `--${boundary}--\r\n`;
  let sent!: () => void;
  const sentPromise = new Promise<void>((resolve) => (sent = resolve));
  const outcome = new Promise<Outcome>((resolve) => {
    const request = http.request(
      {
        host: "localhost",
        port,
        path: "/login",
        method: "POST",
        headers: {
          "content-type": `multipart/form-data; boundary=${boundary}`,
          origin: `http://localhost:${port}`,
          "content-length": Buffer.byteLength(body),
        },
      },
      (response) => {
        let html = "";
        response.on("data", (chunk: Buffer) => (html += chunk.toString()));
        response.on("end", () => {
          const cookie = (response.headers["set-cookie"] ?? []).find((c) => c.startsWith("growbal_session="));
          // The form's message when it was not a sign-in (a page with the error instead of a redirect).
          const error = /data-testid="login-error"[^>]*>([^<]*)</.exec(html)?.[1] ?? null;
          resolve({ status: response.statusCode ?? 0, cookie: cookie?.split(";")[0] ?? null, error });
        });
      },
    );
    request.on("error", () => {
      sent();
      resolve("connection failed");
    });
    request.on("finish", sent);
    request.end(body);
  });
  return { sent: sentPromise, outcome };
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: "localhost", port, path: "/api/health", agent: false }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on("error", () => resolve(false));
  });
}

test("SIGTERM to npm start mid-reply and mid-sign-in: every acknowledged write is kept, nothing is left running, the next start works", async ({
  browser,
}) => {
  const dataDir = dataFolder();
  const port = 3104;
  const baseURL = `http://localhost:${port}`;
  const assistant = await heldAssistant();
  // Ten sessions of one account are all kept (the default limit of five would end the first ones on purpose).
  const env = { ASSISTANT_API_URL: assistant.url, MAX_CONCURRENT_SESSIONS_PER_USER: "20" };
  let app = await npmStart(dataDir, port, env);
  try {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    const chatId = await new CountryPage(page).start("united arab", "Company Formation");
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

    // A reply streaming…
    const reply = await fetch(`${baseURL}/api/chat/${chatId}/messages`, {
      method: "POST",
      headers: { cookie, origin: baseURL, "content-type": "application/json" },
      body: JSON.stringify({ content: "When do I open a bank account?" }),
    });
    expect(reply.status).toBe(200);
    const reader = reply.body!.getReader();
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value);
    expect(received).toBe("Open a bank account ");

    // …ten sign-ins on the wire…
    const fields = await loginFormFields(baseURL);
    const signIns = Array.from({ length: 10 }, () => postSignIn(port, fields, DEMO.username, DEMO.password));
    await Promise.all(signIns.map((s) => s.sent));

    // …and the operator stops the service.
    const tree = processTree(app.process.pid!);
    expect(tree.length).toBeGreaterThan(3); // npm, the launcher, the server, PostgreSQL
    process.kill(app.process.pid!, "SIGTERM");
    await expect.poll(() => acceptsConnections(port), { timeout: 30_000 }).toBe(false);

    // The draining server still finishes the reply, and saves it, before the database stops.
    assistant.release();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += decoder.decode(chunk.value);
    expect(received).toBe(assistant.full);

    const outcomes = await Promise.all(signIns.map((s) => s.outcome));
    const acknowledged = outcomes.flatMap((o) => (o !== "connection failed" && o.status === 303 && o.cookie ? [o.cookie] : []));
    // Each sign-in either succeeded or was never taken; none failed half-way with a server error.
    for (const outcome of outcomes) if (outcome !== "connection failed") expect(outcome).toMatchObject({ status: 303, error: null });
    expect(acknowledged.length).toBeGreaterThan(0);

    await gone(tree);
    expect(await app.exited).toBe(0);

    app = await npmStart(dataDir, port, env);
    for (const session of acknowledged) {
      const me = await fetch(`${baseURL}/api/session/me`, { headers: { cookie: session } });
      expect(me.status, "a sign-in acknowledged before the stop is still signed in").toBe(200);
    }
    await page.goto(`/chat/${chatId}`);
    await expect(page.getByTestId("message-assistant").last()).toContainText(assistant.full);
    await context.close();
  } finally {
    assistant.close();
    await app.stop();
  }
});

test("the admin CLI and a second start beside a running one stop nothing; a launcher whose parent dies stops in order", async () => {
  const dataDir = dataFolder();
  const port = 3105;
  const app = await npmStart(dataDir, port);
  const tree = processTree(app.process.pid!);
  try {
    const cli = await runToEnd("npm", ["run", "user", "--", "create", "beside_the_app"], {
      cwd: ROOT,
      env: { ...process.env, ...FRESH_CLONE_ENV, GROWBAL_DATA_DIR: dataDir, GROWBAL_PASSWORD: "a-long-enough-password-42" },
      timeoutMs: 120_000,
    });
    expect(cli.stdout).toContain('Created user "beside_the_app".');
    expect(cli.status).toBe(0);
    expect((await fetch(`http://localhost:${port}/api/health`)).status).toBe(200);

    const second = await runToEnd("npm", ["start"], {
      cwd: ROOT,
      env: { ...process.env, ...FRESH_CLONE_ENV, GROWBAL_DATA_DIR: dataDir, PORT: String(port) },
      timeoutMs: 120_000,
    });
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`Port ${port} is already in use`);
    expect((await fetch(`http://localhost:${port}/api/health`)).status).toBe(200);

    // npm killed outright cannot pass a signal on: the launcher notices it is orphaned and stops everything.
    process.kill(app.process.pid!, "SIGKILL");
    await gone(tree);
  } finally {
    await app.stop();
  }
});

/** The embedded server of a data folder: its postmaster's pid and port, and its password. */
function embeddedServerOf(dataDir: string) {
  const [pid, , , port] = fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n");
  const { postgresPassword } = JSON.parse(fs.readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { postgresPassword: string };
  return { pid: Number(pid), port: Number(port), password: postgresPassword };
}

test("a frozen or stopped database: APIs answer 503 in bounded time, pages say so, and it recovers without a restart", async ({
  browser,
}) => {
  const dataDir = dataFolder();
  const port = 3106;
  const baseURL = `http://localhost:${port}`;
  const app = await npmStart(dataDir, port, { DB_STATEMENT_TIMEOUT_MS: "1000", DB_CONNECT_TIMEOUT_MS: "1000" });
  let broughtBack: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    const signIn = await postSignIn(port, await loginFormFields(baseURL), DEMO.username, DEMO.password).outcome;
    if (signIn === "connection failed" || !signIn.cookie) throw new Error("could not sign in");
    const headers = { cookie: signIn.cookie };
    const [cookieName, cookieValue] = signIn.cookie.split(/=(.*)/s) as [string, string];
    const context = await browser.newContext({ baseURL });
    await context.addCookies([{ name: cookieName, value: cookieValue, url: baseURL }]);
    // Never a hang: each request must answer well inside the test's own timeout.
    const me = () => fetch(`${baseURL}/api/session/me`, { headers, signal: AbortSignal.timeout(30_000) });
    const expectUnavailable = async () => {
      const response = await me();
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect((await response.json()).error.code).toBe("unavailable");
    };
    expect((await me()).status).toBe(200);

    const database = embeddedServerOf(dataDir);
    const postgresProcesses = processTree(database.pid);
    for (const pid of postgresProcesses) process.kill(pid, "SIGSTOP");
    try {
      await expectUnavailable();
      const page = await context.newPage();
      await page.goto("/dashboard");
      await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/dashboard");
      await expect(page.locator("body")).not.toContainText(/Failed query|params:|\bat [\w.]+ \(/);
    } finally {
      for (const pid of postgresProcesses) process.kill(pid, "SIGCONT");
    }
    await expect.poll(async () => (await me()).status, { timeout: 30_000 }).toBe(200);

    process.kill(database.pid, "SIGINT");
    await gone(postgresProcesses);
    await expectUnavailable();
    const refused = await postSignIn(port, await loginFormFields(baseURL), DEMO.username, DEMO.password).outcome;
    expect(refused).toMatchObject({ cookie: null, error: "We could not sign you in just now. Please try again in a moment." });

    broughtBack = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      password: database.password,
      port: database.port,
    });
    await expect.poll(async () => (await me()).status, { timeout: 30_000 }).toBe(200);
  } finally {
    await app.stop();
    await broughtBack?.release();
  }
});
