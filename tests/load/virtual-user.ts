import { signInFields } from "../e2e/support/login-form";
import { readStream } from "../../lib/chat/stream-protocol";
import { Metrics, NO_RESPONSE } from "./metrics";

/**
 * One simulated person, driving the app the way a browser without JavaScript does: the sign-in and country forms
 * are posted as multipart server-action forms, messages go to the chat API, pages are fetched whole. Each user
 * keeps one address (X-Forwarded-For, trusted through one proxy hop) and one User-Agent for the whole run, so
 * the session policies' IP and browser binding see a consistent person and never have a reason to end a session.
 */

export type Topic = { country: string; serviceType: string };

export type LoadTarget = {
  baseURL: string;
  cookieName: string;
  /** The sign-in form's hidden fields (server-action references), read once from /login. */
  loginFields: [string, string][];
  password: string;
  metrics: Metrics;
  requestTimeoutMs: number;
  thinkMs: number;
  messagesPerChat: number;
  /** When users stop starting new steps. */
  deadline: () => number;
};

/**
 * What became of one message, from the client's side:
 * - acknowledged: a 200 whose stream ended without TURN_FAILED_MARKER — the app says the message is saved
 *   (with or without a reply: ASSISTANT_FAILED_MARKER still means "your message is saved");
 * - refused: a 4xx, or a 200 ending with TURN_FAILED_MARKER — the app says it was not saved;
 * - unknown: no status, a 5xx, or a stream cut short — the client cannot tell.
 */
export type MessageOutcome = "acknowledged" | "refused" | "unknown";
export type SentMessage = { chatId: string; content: string; outcome: MessageOutcome; replyComplete: boolean };

const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 growbal-load-test";

const QUESTIONS = [
  "How do I get started?",
  "How much does it cost?",
  "How long does it take?",
  "Which documents do I need?",
  "What should I do next?",
];

const CHAT_PATH = /\/chat\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const BUSY_SIGN_IN = "Too many sign-in attempts are being checked right now";

type Reply = { status: number; headers: Headers | null; body: string; error: string | null };

export class VirtualUser {
  private cookie: string | null = null;
  private messageNumber = 0;
  private iteration = 0;
  readonly sent: SentMessage[] = [];
  /** Every chat the app sent this user to, and how many country-form posts got no clear answer. */
  readonly chatIds = new Set<string>();
  unclearChatStarts = 0;
  signIns = 0;

  constructor(
    readonly index: number,
    readonly username: string,
    private readonly topics: Topic[],
    private readonly target: LoadTarget,
  ) {}

  /** A private address per user: 10.20.x.y, never shared, so per-address sign-in throttles see one person each. */
  get ip(): string {
    return `10.20.${Math.floor(this.index / 200)}.${(this.index % 200) + 10}`;
  }

  get signedIn(): boolean {
    return this.cookie !== null;
  }

  /** Signs in once, then starts chats, sends messages and reads the dashboard until the deadline. */
  async run(): Promise<void> {
    while (this.timeLeft()) {
      if (!this.signedIn) {
        // Signing in again only follows a sign-out already reported as a problem; bounded so a broken app cannot
        // turn the run into a sign-in storm.
        if (this.signIns >= 3) return;
        await this.signIn();
        if (!this.signedIn) return;
        await this.think();
        continue;
      }
      const topic = this.topics[this.iteration++ % this.topics.length]!;
      const chatId = await this.startChat(topic);
      await this.think();
      for (let n = 0; chatId && this.signedIn && n < this.target.messagesPerChat && this.timeLeft(); n++) {
        await this.sendMessage(chatId);
        await this.think();
      }
      if (this.signedIn && this.timeLeft()) {
        await this.readDashboard();
        await this.think();
      }
    }
  }

  async signIn(): Promise<void> {
    const { metrics } = this.target;
    for (let attempt = 0; this.timeLeft(); attempt++) {
      const form = new FormData();
      for (const [name, value] of signInFields(this.target.loginFields, this.username, this.target.password)) form.append(name, value);
      const reply = await this.request("POST /login", "/login", { method: "POST", body: form });
      if (reply.status === 303 && this.cookie) {
        this.signIns += 1;
        return;
      }
      if (reply.status === 200 && reply.body.includes(BUSY_SIGN_IN) && attempt < 10) {
        // The per-instance password-check queue is full: the app asks people to retry in a few seconds.
        metrics.notice("sign-in refused as busy (password-check queue full), retried");
        await sleep(1000 + Math.random() * 2000);
        continue;
      }
      if (reply.status !== NO_RESPONSE && reply.status < 500) {
        metrics.problem(this.index, "POST /login", `no sign-in: ${reply.status} ${formError(reply.body) ?? ""}`.trim());
      }
      return;
    }
  }

  /** The country page, its form posted, and the chat page it redirects to. Returns the chat's id. */
  async startChat(topic: Topic): Promise<string | null> {
    const page = await this.request("GET /country", "/country");
    if (page.status !== 200) {
      this.expect200(page, "GET /country");
      return null;
    }
    const form = new FormData();
    for (const [name, value] of hiddenFields(page.body)) form.append(name, value);
    form.append("country", topic.country);
    form.append("serviceType", topic.serviceType);
    const posted = await this.request("POST /country", "/country", { method: "POST", body: form });
    const chatId = CHAT_PATH.exec(new URL(posted.headers?.get("location") ?? "/", this.target.baseURL).pathname)?.[1] ?? null;
    if (posted.status !== 303 || !chatId) {
      this.unclearChatStarts += 1;
      if (posted.status !== NO_RESPONSE && posted.status < 500) {
        this.target.metrics.problem(this.index, "POST /country", `no chat: ${posted.status} ${formError(posted.body) ?? ""}`.trim());
      }
      return null;
    }
    this.chatIds.add(chatId);
    const chat = await this.request("GET /chat/:id", `/chat/${chatId}`);
    this.expect200(chat, "GET /chat/:id");
    return chatId;
  }

  async sendMessage(chatId: string): Promise<void> {
    const n = this.messageNumber++;
    // Unique per run, so the database check can find each message by its text alone.
    const content = `load-u${this.index}-m${n}: ${QUESTIONS[n % QUESTIONS.length]}`;
    const reply = await this.request("POST /api/chat/:id/messages", `/api/chat/${chatId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content }),
    });
    const message: SentMessage = { chatId, content, outcome: "unknown", replyComplete: false };
    this.sent.push(message);
    const route = "POST /api/chat/:id/messages";
    if (reply.status === 200 && reply.error === null) {
      const end = readStream(reply.body);
      message.outcome = end.messageSaved ? "acknowledged" : "refused";
      message.replyComplete = end.error === null && end.reply.trim() !== "";
      if (end.error !== null) {
        // A failure reported inside a 200 stream is a server-side failure the status code could not carry.
        this.target.metrics.problem(
          this.index,
          route,
          `200 ending with a failure marker (${end.messageSaved ? "reply" : "message"} lost): ${end.error}`,
        );
      } else if (!message.replyComplete) {
        this.target.metrics.problem(this.index, route, "200 with an empty reply");
      }
    } else if (reply.status === 200) {
      this.target.metrics.problem(this.index, route, `reply stream cut short: ${reply.error}`);
    } else if (reply.status >= 400 && reply.status < 500) {
      message.outcome = "refused";
      this.expect200(reply, route);
    } else {
      this.expect200(reply, route);
    }
  }

  async readDashboard(): Promise<void> {
    const page = await this.request("GET /dashboard", "/dashboard");
    if (page.status === 200 && !page.body.includes(this.username)) {
      this.target.metrics.problem(this.index, "GET /dashboard", "200 without this user's name: someone else's dashboard?");
      return;
    }
    this.expect200(page, "GET /dashboard");
  }

  /**
   * Classifies an answer that should have been a 200. 5xx and missing responses are problems already recorded by
   * request(); a way to /login or a 401/403 means the app ended this session, which nothing in this run should
   * cause; a 429 is the app's own throttling (reported, not failed); any other status is a problem.
   */
  private expect200(reply: Reply, route: string): void {
    const { metrics } = this.target;
    if (reply.status === 200 || reply.status === NO_RESPONSE || reply.status >= 500) return;
    const location = reply.headers?.get("location") ?? "";
    if (reply.status === 401 || reply.status === 403 || (reply.status >= 300 && reply.status < 400 && location.includes("/login"))) {
      metrics.problem(this.index, route, `signed out unexpectedly: ${reply.status}${location ? ` → ${location}` : ""}`);
      this.cookie = null;
    } else if (reply.status === 429) {
      metrics.notice(`429 on ${route}`);
    } else {
      metrics.problem(this.index, route, `unexpected ${reply.status}${location ? ` → ${location}` : ""}`);
    }
  }

  /** One timed request with this user's address, browser and cookie; the body is read whole (streams too). */
  private async request(route: string, path: string, init: RequestInit = {}): Promise<Reply> {
    const { baseURL, metrics } = this.target;
    const headers: Record<string, string> = {
      "user-agent": USER_AGENT,
      "x-forwarded-for": this.ip,
      ...(init.method === "POST" ? { origin: baseURL } : {}),
      ...(this.cookie ? { cookie: this.cookie } : {}),
      ...(init.headers as Record<string, string> | undefined),
    };
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(new URL(path, baseURL), {
        ...init,
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(this.target.requestTimeoutMs),
      });
    } catch (error) {
      metrics.record(route, NO_RESPONSE, performance.now() - started);
      metrics.problem(this.index, route, `no response: ${describe(error)}`);
      return { status: NO_RESPONSE, headers: null, body: "", error: describe(error) };
    }
    this.takeCookie(response.headers);
    let body = "";
    let error: string | null = null;
    try {
      body = await response.text();
    } catch (caught) {
      error = describe(caught);
    }
    metrics.record(route, response.status, performance.now() - started);
    if (response.status >= 500) metrics.problem(this.index, route, `${response.status}: ${body.slice(0, 200)}`);
    return { status: response.status, headers: response.headers, body, error };
  }

  /** Follows the session cookie as a browser would: replaced when the app reseals it, dropped when cleared. */
  private takeCookie(headers: Headers): void {
    const prefix = `${this.target.cookieName}=`;
    const set = headers.getSetCookie().findLast((c) => c.startsWith(prefix));
    if (!set) return;
    const pair = set.split(";")[0]!;
    const cleared = pair === prefix || /;\s*max-age=0/i.test(set) || /;\s*expires=Thu, 01 Jan 1970/i.test(set);
    this.cookie = cleared ? null : pair;
  }

  private timeLeft(): boolean {
    return Date.now() < this.target.deadline();
  }

  /** A person's pause between steps: thinkMs on average, 0.5–1.5×, so users do not move in lockstep. */
  private think(): Promise<void> {
    if (this.target.thinkMs === 0 || !this.timeLeft()) return Promise.resolve();
    return sleep(Math.min(this.target.thinkMs * (0.5 + Math.random()), Math.max(0, this.target.deadline() - Date.now())));
  }
}

/** A form's hidden inputs (React's server-action references), as a browser would send them back. */
export function hiddenFields(html: string): [string, string][] {
  const decode = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
  return [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map((m) => [decode(m[1]!), decode(m[2] ?? "")]);
}

/** The message a server-action form shows when it did not go through (sign-in or start-chat error). */
function formError(html: string): string | null {
  const patterns = [/data-testid="login-error"[^>]*>([^<]+)</, /aria-atomic="true"><p[^>]*>([^<]+)</, /id="[a-z]+-error"[^>]*>([^<]+)</];
  for (const pattern of patterns) {
    const found = pattern.exec(html)?.[1];
    if (found) return found;
  }
  return null;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
