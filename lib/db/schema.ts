import { sql, type InferInsertModel, type InferSelectModel } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { endReasons, sessionKinds } from "../policies/types";

export { sessionKinds };
export type { SessionKind } from "../policies/types";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const userRoles = ["user", "admin"] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull(),
    // Null for an account that signs in only through SSO (or passkeys) and never chose a password.
    passwordHash: text("password_hash"),
    // From the identity provider (verified there); unique ignoring case. Never used to link accounts by itself.
    email: text("email"),
    role: text("role", { enum: userRoles }).notNull().default("user"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    passwordChangedAt: tz("password_changed_at").notNull().defaultNow(),
    disabledAt: tz("disabled_at"),
    // Set when an administrator chose the password: the person picks their own before anything else.
    passwordChangeRequired: boolean("password_change_required").notNull().default(false),
    // When the account's first second factor (passkey or confirmed TOTP) was added; null when it has none. Kept in
    // step with the factor tables by lib/mfa, so the session lookup learns "has a second factor" from the user row.
    mfaEnabledAt: tz("mfa_enabled_at"),
  },
  (t) => [
    // Case-insensitive uniqueness: "Demo" and "demo" are the same person.
    uniqueIndex("users_username_lower_key").on(sql`lower(${t.username})`),
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    check("users_role_check", sql`${t.role} in ('user', 'admin')`),
  ],
);

export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // SHA-256 (hex) of the 256-bit random token; the token itself lives only in the sealed cookie.
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: sessionKinds }).notNull(),
    authMethod: text("auth_method").notNull().default("password"),
    rememberMe: boolean("remember_me").notNull().default(false),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastActivityAt: tz("last_activity_at").notNull().defaultNow(),
    authenticatedAt: tz("authenticated_at"),
    mfaVerifiedAt: tz("mfa_verified_at"),
    expiresAt: tz("expires_at").notNull(),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
    revokedAt: tz("revoked_at"),
    revokeReason: text("revoke_reason", { enum: endReasons }),
    suspiciousAt: tz("suspicious_at"),
    // The most severe open alert that flagged it: only "critical" is ended by the cleanup; "high" waits for a person.
    suspiciousSeverity: text("suspicious_severity", { enum: ["high", "critical"] }),
    // SSO sessions: the identity signed in with and the provider's session id (`sid`), for back-channel logout.
    ssoIdentityId: uuid("sso_identity_id").references((): AnyPgColumn => identities.id, { onDelete: "set null" }),
    idpSessionId: text("idp_session_id"),
  },
  (t) => [
    uniqueIndex("auth_sessions_token_hash_key").on(t.tokenHash),
    // A user's live sessions: concurrency limits, "signed-in devices", sign out everywhere.
    index("auth_sessions_user_active_idx")
      .on(t.userId, t.lastActivityAt)
      .where(sql`${t.revokedAt} is null`),
    // Cleanup scans: expired, idle and purge of long-ended rows.
    index("auth_sessions_expires_at_idx")
      .on(t.expiresAt)
      .where(sql`${t.revokedAt} is null`),
    index("auth_sessions_last_activity_idx")
      .on(t.kind, t.lastActivityAt)
      .where(sql`${t.revokedAt} is null`),
    index("auth_sessions_revoked_at_idx")
      .on(t.revokedAt)
      .where(sql`${t.revokedAt} is not null`),
    // The purge asks "ended (revoked or expired) before the cutoff" over all rows, revoked or not.
    index("auth_sessions_expires_at_all_idx").on(t.expiresAt),
    index("auth_sessions_sso_identity_idx")
      .on(t.ssoIdentityId)
      .where(sql`${t.revokedAt} is null`),
    check("auth_sessions_kind_check", sql`${t.kind} in ('anonymous', 'authenticated', 'sso', 'admin', 'api')`),
    check("auth_sessions_suspicious_severity_check", sql`${t.suspiciousSeverity} in ('high', 'critical')`),
    check("auth_sessions_revoke_reason_check", sql`${t.revokeReason} in (${sql.raw(endReasons.map((r) => `'${r}'`).join(", "))})`),
  ],
);

/** An account at the OpenID provider (issuer + subject) linked to a user: created at its first SSO sign-in or linked
 * from /account. Its email is what the provider said at the last sign-in. */
export const identities = pgTable(
  "identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    email: text("email"),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastSignInAt: tz("last_sign_in_at"),
  },
  (t) => [uniqueIndex("identities_issuer_subject_key").on(t.issuer, t.subject), index("identities_user_idx").on(t.userId)],
);

/** A TOTP authenticator: the secret sealed with MFA_ENCRYPTION_KEY (lib/mfa/secret-box.ts), never in clear. */
export const totpFactors = pgTable("totp_factors", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretSealed: text("secret_sealed").notNull(),
  createdAt: tz("created_at").notNull().defaultNow(),
  // Null while enrolment waits for the first code.
  confirmedAt: tz("confirmed_at"),
  // The last 30-second step a code was accepted for: a code is never accepted twice.
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  // While enrolment waits: the one session that was shown the secret and may confirm it (null once confirmed).
  enrollingSessionId: uuid("enrolling_session_id").references(() => authSessions.id, { onDelete: "cascade" }),
});

export const accessTokenScopes = ["read", "read_write"] as const;
export type AccessTokenScope = (typeof accessTokenScopes)[number];

/**
 * A personal access token: an `api` session (auth_method `access_token`) that lives until its own expiry with no idle
 * limit. The session row holds the token's hash, expiry, last use and revocation; this row its name and scope.
 */
export const accessTokens = pgTable(
  "access_tokens",
  {
    sessionId: uuid("session_id")
      .primaryKey()
      .references(() => authSessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope", { enum: accessTokenScopes }).notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("access_tokens_user_idx").on(t.userId, t.createdAt),
    check("access_tokens_scope_check", sql`${t.scope} in ('read', 'read_write')`),
  ],
);

export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // WebAuthn credential id and COSE public key, base64url.
    credentialId: text("credential_id").notNull(),
    publicKey: text("public_key").notNull(),
    signCount: bigint("sign_count", { mode: "number" }).notNull().default(0),
    transports: jsonb("transports").$type<string[]>().notNull().default([]),
    deviceType: text("device_type", { enum: ["singleDevice", "multiDevice"] }).notNull(),
    backedUp: boolean("backed_up").notNull().default(false),
    name: text("name").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastUsedAt: tz("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_idx").on(t.userId)],
);

/** Single-use recovery codes, stored as SHA-256 hashes (they are random, 50 bits each: no slow hash needed). */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    usedAt: tz("used_at"),
  },
  (t) => [uniqueIndex("recovery_codes_user_hash_key").on(t.userId, t.codeHash)],
);

export const webauthnPurposes = ["register", "second_factor", "sign_in", "step_up"] as const;

/** Outstanding WebAuthn challenges: each is taken once (deleted as it is checked) and lives five minutes. */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    challenge: text("challenge").notNull(),
    purpose: text("purpose", { enum: webauthnPurposes }).notNull(),
    // The user the ceremony is for; null for a passkey sign-in, where the passkey says who it is.
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    expiresAt: tz("expires_at").notNull(),
  },
  (t) => [index("webauthn_challenges_expires_at_idx").on(t.expiresAt)],
);

export const chatSessions = pgTable(
  "chat_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    // Anonymous visitors own chats through their auth session until they sign in.
    ownerAuthSessionId: uuid("owner_auth_session_id").references(() => authSessions.id, { onDelete: "set null" }),
    country: text("country").notNull(),
    serviceType: text("service_type").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastActivityAt: tz("last_activity_at").notNull().defaultNow(),
    expiresAt: tz("expires_at").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    // Kept by addMessage in the message's transaction, so the dashboard never counts a user's whole history.
    messageCount: integer("message_count").notNull().default(0),
  },
  (t) => [
    index("chat_sessions_user_recent_idx").on(t.userId, t.lastActivityAt),
    index("chat_sessions_owner_auth_session_idx").on(t.ownerAuthSessionId),
    index("chat_sessions_active_expires_idx")
      .on(t.expiresAt)
      .where(sql`${t.isActive}`),
  ],
);

const chatMessageRoles = ["user", "assistant", "system"] as const;

export const chatMessages = pgTable(
  "chat_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    chatSessionId: uuid("chat_session_id")
      .notNull()
      .references(() => chatSessions.id, { onDelete: "cascade" }),
    role: text("role", { enum: chatMessageRoles }).notNull(),
    content: text("content").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [index("chat_messages_session_created_idx").on(t.chatSessionId, t.createdAt)],
);

/** Append-only; no foreign keys so it can be partitioned by time later. */
export const securityEvents = pgTable(
  "security_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: text("type").notNull(),
    at: tz("at").notNull().defaultNow(),
    userId: uuid("user_id"),
    // HMAC-SHA-256 of the auth session id keyed by the session secret (monitor/session-ref.ts): events never carry
    // a usable session identifier.
    sessionRef: text("session_ref"),
    // Username as typed at sign-in (for failed logins of unknown users), lower-cased.
    subject: text("subject"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("security_events_type_at_idx").on(t.type, t.at),
    // Every query by user, address or subject names one: rows without one (a cleanup's anonymous sessions, most
    // of them) need no entry, which keeps bulk inserts cheap.
    index("security_events_user_at_idx")
      .on(t.userId, t.at)
      .where(sql`${t.userId} is not null`),
    index("security_events_ip_at_idx")
      .on(t.ip, t.at)
      .where(sql`${t.ip} is not null`),
    index("security_events_subject_at_idx")
      .on(t.subject, t.at)
      .where(sql`${t.subject} is not null`),
    // The retention purge deletes by age alone.
    index("security_events_at_idx").on(t.at),
    // An address, a /64 network or "unknown": never free text.
    check("security_events_ip_length_check", sql`char_length(${t.ip}) <= 64`),
  ],
);

export const alertSeverities = ["low", "medium", "high", "critical"] as const;

export const securityAlerts = pgTable(
  "security_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type").notNull(),
    severity: text("severity", { enum: alertSeverities }).notNull(),
    // What the alert is about (a user id, an IP …): the de-duplication key with `type`.
    subject: text("subject").notNull(),
    message: text("message").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    occurrences: integer("occurrences").notNull().default(1),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastSeenAt: tz("last_seen_at").notNull().defaultNow(),
    acknowledgedAt: tz("acknowledged_at"),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: tz("resolved_at"),
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolutionNotes: text("resolution_notes"),
    // Resolved as a false positive: the same (type, subject) stays quiet for the rule's window afterwards.
    falsePositive: boolean("false_positive").notNull().default(false),
  },
  (t) => [
    index("security_alerts_dedupe_idx").on(t.type, t.subject, t.lastSeenAt),
    index("security_alerts_severity_created_idx").on(t.severity, t.createdAt),
    index("security_alerts_open_idx")
      .on(t.createdAt)
      .where(sql`${t.resolvedAt} is null`),
    // "Is an alert about this user open?", asked at every sign-in.
    index("security_alerts_open_subject_idx")
      .on(t.subject)
      .where(sql`${t.resolvedAt} is null`),
    check("security_alerts_severity_check", sql`${t.severity} in ('low', 'medium', 'high', 'critical')`),
  ],
);

export const policyOverrides = pgTable("policy_overrides", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  // A partial SessionPolicy, validated with zod before it is written or applied.
  policy: jsonb("policy").$type<Record<string, unknown>>().notNull(),
  reason: text("reason"),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

export const cleanupTriggers = ["cron", "interval", "manual", "admin"] as const;

export const cleanupRuns = pgTable(
  "cleanup_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trigger: text("trigger", { enum: cleanupTriggers }).notNull(),
    startedAt: tz("started_at").notNull().defaultNow(),
    finishedAt: tz("finished_at"),
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default({}),
    totalCleaned: integer("total_cleaned").notNull().default(0),
    durationMs: integer("duration_ms"),
    error: text("error"),
  },
  (t) => [index("cleanup_runs_started_at_idx").on(t.startedAt)],
);

/**
 * The administrator's cleanup settings (one row, or none): only what differs from the environment's defaults, as a
 * patch validated by lib/cleanup/settings.ts. No row means the environment decides everything.
 */
export const cleanupSettings = pgTable(
  "cleanup_settings",
  {
    id: integer("id").primaryKey().default(1),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("cleanup_settings_single_row", sql`${t.id} = 1`)],
);

export type User = InferSelectModel<typeof users>;
export type AuthSession = InferSelectModel<typeof authSessions>;
export type NewAuthSession = InferInsertModel<typeof authSessions>;
export type ChatSession = InferSelectModel<typeof chatSessions>;
export type ChatMessage = InferSelectModel<typeof chatMessages>;
export type SecurityAlert = InferSelectModel<typeof securityAlerts>;
export type PolicyOverride = InferSelectModel<typeof policyOverrides>;
export type Passkey = InferSelectModel<typeof passkeys>;
export type AccessToken = InferSelectModel<typeof accessTokens>;
export type Identity = InferSelectModel<typeof identities>;
export type WebauthnPurpose = (typeof webauthnPurposes)[number];
