import { z } from "zod";
import { parseRuleSeverities } from "@/lib/monitor/rule-catalog";
import { policyPatchesByKindSchema, type PolicySettings } from "@/lib/policies/resolve";

/**
 * Environment, parsed once with zod. Edge-safe (no Node APIs): middleware reads the cookie settings from here.
 * A bad value throws a ConfigError naming the variable, which stops start-up.
 */

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true" || v === "1" || v === "yes"));

const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: "must be a whole number" })
    .int({ message: "must be a whole number" })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` })
    .optional()
    .transform((v) => v ?? fallback);

const secretList = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0 && list.every((s) => s.length >= 32), {
    message: "must be at least 32 characters (a comma-separated list rotates secrets; every entry needs 32)",
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).optional().default("development"),
    APP_URL: z.url({ message: "must be an absolute URL such as https://growbal.example" }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// connection URL" })
      .optional(),
    SESSION_SECRET: secretList.optional(),
    CRON_SECRET: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
    // Bearer secret of /api/metrics (Prometheus); unset = metrics off.
    METRICS_SECRET: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
    // Seals TOTP secrets at rest (AES-256-GCM); a comma-separated list rotates like SESSION_SECRET.
    MFA_ENCRYPTION_KEY: secretList.optional(),
    ENFORCE_SESSION_POLICIES: bool(true),
    DEFAULT_SECURITY_LEVEL: z
      .enum(["low", "medium", "high", "critical"], { message: "must be low, medium, high or critical" })
      .optional()
      .default("medium"),
    ENABLE_SESSION_MONITORING: bool(true),
    SESSION_ALERT_WEBHOOK: z.url({ message: "must be an absolute URL" }).optional(),
    // Mail: HIGH/CRITICAL alerts to ALERT_EMAIL_TO, new-device notices to users with an email. Unset = no mail.
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, { message: "must be an smtp:// or smtps:// URL such as smtps://user:pass@mail.example:465" })
      .optional(),
    ALERT_EMAIL_TO: z.email({ message: "must be an email address" }).optional(),
    // Who the mail says it is from; default no-reply@ the app's host.
    MAIL_FROM: z.email({ message: "must be an email address" }).optional(),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        message: "must be fatal, error, warn, info, debug, trace or silent",
      })
      .optional()
      .default("info"),
    SESSION_CLEANUP_INTERVAL: int(1800, 300, 86_400),
    CLEANUP_EXPIRED_SESSIONS: bool(true),
    CLEANUP_IDLE_SESSIONS: bool(true),
    CLEANUP_POLICY_VIOLATIONS: bool(true),
    CLEANUP_ORPHANED_SESSIONS: bool(true),
    CLEANUP_DUPLICATE_SESSIONS: bool(true),
    CLEANUP_SUSPICIOUS_SESSIONS: bool(true),
    KEEP_EXPIRED_SESSIONS_DAYS: int(7, 0, 3650),
    // Security events (the audit trail) older than this are deleted by the cleanup.
    SECURITY_EVENTS_RETENTION_DAYS: int(90, 1, 3650),
    MAX_ANONYMOUS_SESSIONS: int(1000, 0, 10_000_000),
    // Per network (/24, IPv6 /64), for visitors who have not signed in: a paid assistant makes each message a cost.
    ANONYMOUS_CHATS_PER_HOUR: int(10, 1, 1_000_000),
    ANONYMOUS_MESSAGES_PER_HOUR: int(60, 1, 1_000_000),
    // Run the cleanup on SESSION_CLEANUP_INTERVAL inside each `next start` (off where an external cron calls it).
    CLEANUP_SCHEDULER: bool(true),
    MAX_CONCURRENT_SESSIONS_PER_USER: int(5, 1, 1000),
    MAX_FAILED_LOGINS_PER_IP: int(20, 1, 100_000),
    SUSPICIOUS_IP_CHANGES_THRESHOLD: int(3, 1, 1000),
    POLICY_VIOLATIONS_PER_HOUR: int(5, 1, 100_000),
    TRUSTED_PROXY_HOPS: int(0, 0, 10),
    // Brute-force protection: lock a (username, IP) pair after this many failures, for LOGIN_LOCK_MINUTES.
    LOGIN_PAIR_MAX_FAILURES: int(10, 3, 1000),
    LOGIN_LOCK_MINUTES: int(15, 1, 1440),
    // While a HIGH/CRITICAL alert about a user is open their sessions are flagged (the cleanup ends CRITICAL ones).
    FLAG_SUSPICIOUS_SESSIONS: bool(true),
    // Per-rule severity (and so action), e.g. "policy_violations=critical,unusual_activity_hours=off".
    MONITOR_RULE_SEVERITY: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const parsed = parseRuleSeverities(raw ?? "");
        if (parsed.ok) return parsed.overrides;
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }),
    GEO_COUNTRY_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, { message: "must be an HTTP header name" })
      .optional(),
    SEED_DEMO_USERS: z.enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" }).optional(),
    BCRYPT_COST: int(12, 4, 15),
    // Bounded waits on the database: a statement running longer is cancelled, a connection not made in time fails.
    DB_STATEMENT_TIMEOUT_MS: int(5000, 100, 600_000),
    DB_CONNECT_TIMEOUT_MS: int(5000, 100, 120_000),
    // How long a stopping server lets requests and streamed replies in flight finish before cutting them off.
    SHUTDOWN_GRACE_MS: int(10_000, 0, 600_000),
    // JSON: per-kind policy changes, e.g. {"authenticated":{"idleTimeoutMinutes":30}}.
    SESSION_POLICY_OVERRIDES: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return {};
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          ctx.addIssue({ code: "custom", message: 'must be JSON such as {"authenticated":{"idleTimeoutMinutes":30}}' });
          return z.NEVER;
        }
        const parsed = policyPatchesByKindSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          ctx.addIssue({ code: "custom", message: `is not a valid policy override (${issue?.path.join(".")}: ${issue?.message})` });
          return z.NEVER;
        }
        return parsed.data;
      }),
    // OpenAI-compatible chat completions; unset = the built-in offline assistant.
    ASSISTANT_API_URL: z.url({ message: "must be an absolute URL such as https://api.openai.com/v1" }).optional(),
    ASSISTANT_API_KEY: z.string().optional(),
    ASSISTANT_MODEL: z.string().max(200).optional().default("gpt-4o-mini"),
    // Sign-in through an OpenID provider (authorization code flow with PKCE). All of issuer, client id and secret, or none.
    SSO_ISSUER_URL: z.url({ message: "must be the provider's issuer URL, such as https://login.example.com" }).optional(),
    SSO_CLIENT_ID: z.string().max(500).optional(),
    SSO_CLIENT_SECRET: z.string().min(8, { message: "must be at least 8 characters" }).max(2000).optional(),
    SSO_DISPLAY_NAME: z.string().max(60, { message: "must be at most 60 characters" }).optional().default("SSO"),
    // Comma-separated email domains whose people may get an account at their first SSO sign-in; unset = any domain.
    SSO_ALLOWED_DOMAINS: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return null;
        const domains = raw
          .split(",")
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean);
        if (domains.length === 0 || !domains.every((d) => /^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z0-9-]{2,}$/.test(d))) {
          ctx.addIssue({ code: "custom", message: "must be a comma-separated list of domains such as example.com,example.org" });
          return z.NEVER;
        }
        return domains;
      }),
    // A value of the provider's `groups` claim that makes the account an administrator (who still needs a second factor).
    SSO_ADMIN_GROUP: z.string().max(200).optional(),
    // Lets end-to-end tests move the server's clock per request (x-growbal-test-now). Honoured only when
    // NODE_ENV=test and APP_URL is a localhost address; ignored otherwise, whatever this says.
    ENABLE_TEST_CLOCK: bool(false),
    PORT: int(3000, 1, 65_535),
  })
  .superRefine((env, ctx) => {
    const production = env.NODE_ENV === "production";
    if (env.APP_URL) {
      const url = new URL(env.APP_URL);
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "must be an http(s) URL" });
      } else if (production && url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
        ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "must use https in production (http is allowed only for localhost)" });
      }
    } else if (production) {
      ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production (the public https origin)" });
    }
    if (env.ENABLE_TEST_CLOCK && env.APP_URL && !isLoopbackHost(new URL(env.APP_URL).hostname)) {
      ctx.addIssue({ code: "custom", path: ["ENABLE_TEST_CLOCK"], message: "is only allowed when APP_URL is a localhost address (tests)" });
    }
    if (isTrue(env.SEED_DEMO_USERS) && env.APP_URL && !isLoopbackHost(new URL(env.APP_URL).hostname)) {
      ctx.addIssue({
        code: "custom",
        path: ["SEED_DEMO_USERS"],
        message:
          "is only allowed when APP_URL is a localhost address: the demo passwords are public (create a real administrator with `npm run user -- create <name> --admin`)",
      });
    }
    if (production && !env.SESSION_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "is required in production (at least 32 random characters)" });
    }
    const ssoParts = [env.SSO_ISSUER_URL, env.SSO_CLIENT_ID, env.SSO_CLIENT_SECRET];
    if (ssoParts.some(Boolean) && !ssoParts.every(Boolean)) {
      for (const [name, value] of [
        ["SSO_ISSUER_URL", env.SSO_ISSUER_URL],
        ["SSO_CLIENT_ID", env.SSO_CLIENT_ID],
        ["SSO_CLIENT_SECRET", env.SSO_CLIENT_SECRET],
      ] as const) {
        if (!value) ctx.addIssue({ code: "custom", path: [name], message: "is required when SSO is configured (set all three, or none)" });
      }
    }
    if (env.SSO_ISSUER_URL) {
      const issuer = new URL(env.SSO_ISSUER_URL);
      if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && isLoopbackHost(issuer.hostname))) {
        ctx.addIssue({
          code: "custom",
          path: ["SSO_ISSUER_URL"],
          message: "must use https (http is allowed only for a provider on localhost)",
        });
      }
    }
    if (production && !env.MFA_ENCRYPTION_KEY) {
      ctx.addIssue({ code: "custom", path: ["MFA_ENCRYPTION_KEY"], message: "is required in production (at least 32 random characters)" });
    }
  });

type ParsedEnv = z.output<typeof envSchema>;

export type AppConfig = Omit<ParsedEnv, "SEED_DEMO_USERS" | "SESSION_SECRET"> & {
  SESSION_SECRET: string[] | undefined;
  /** As set: true or false when given, undefined when left to the launcher (on for the embedded database only). */
  SEED_DEMO_USERS: boolean | undefined;
  /** Whether `x-growbal-test-now` is honoured: ENABLE_TEST_CLOCK, and only under NODE_ENV=test. */
  testClock: boolean;
  policySettings: PolicySettings;
  /** Origin the app is served from; http://localhost:PORT when APP_URL is unset. */
  appOrigin: string;
  /** True when the app is served over https: the cookie becomes `__Host-` and Secure. */
  secureCookies: boolean;
  /** The OpenID provider to sign in with, when configured. */
  sso: SsoConfig | null;
};

export type SsoConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
  allowedDomains: string[] | null;
  adminGroup: string | null;
};

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super("Invalid configuration:\n" + problems.map((p) => `  ${p.variable} ${p.message}`).join("\n"));
    this.name = "ConfigError";
  }
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ["true", "1", "yes"].includes(value);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "::1";
}

/** Parses an environment record; pure so tests can feed it any env. */
export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    // Empty strings mean "unset" (as in a copied .env.example).
    if (value !== undefined && value.trim() !== "") cleaned[key] = value.trim();
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message,
      })),
    );
  }
  const env = result.data;
  const appOrigin = env.APP_URL ? new URL(env.APP_URL).origin : `http://localhost:${env.PORT}`;
  return {
    ...env,
    SESSION_SECRET: env.SESSION_SECRET,
    SEED_DEMO_USERS: env.SEED_DEMO_USERS === undefined ? undefined : isTrue(env.SEED_DEMO_USERS),
    testClock: env.ENABLE_TEST_CLOCK && env.NODE_ENV === "test" && isLoopbackHost(new URL(appOrigin).hostname),
    appOrigin,
    secureCookies: appOrigin.startsWith("https:"),
    sso:
      env.SSO_ISSUER_URL && env.SSO_CLIENT_ID && env.SSO_CLIENT_SECRET
        ? {
            issuer: env.SSO_ISSUER_URL,
            clientId: env.SSO_CLIENT_ID,
            clientSecret: env.SSO_CLIENT_SECRET,
            displayName: env.SSO_DISPLAY_NAME,
            allowedDomains: env.SSO_ALLOWED_DOMAINS,
            adminGroup: env.SSO_ADMIN_GROUP ?? null,
          }
        : null,
    policySettings: {
      enforce: env.ENFORCE_SESSION_POLICIES,
      defaultSecurityLevel: env.DEFAULT_SECURITY_LEVEL,
      maxConcurrentSessionsPerUser: env.MAX_CONCURRENT_SESSIONS_PER_USER,
      patches: env.SESSION_POLICY_OVERRIDES,
    },
  };
}

let cached: AppConfig | undefined;

/** The process configuration, parsed on first use and cached. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests that change process.env call this to re-read it. */
export function resetConfigForTests(): void {
  cached = undefined;
}
