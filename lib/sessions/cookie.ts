import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import type { AppConfig } from "@/lib/config";
import { policyPatchSchema } from "@/lib/policies/resolve";
import { sessionKinds } from "@/lib/policies/types";
import { cachedUnseal, rememberUnseal } from "./unseal-cache";

/**
 * The sealed session cookie. Edge-safe: middleware and the DAL both use it. It carries ids and timestamps only;
 * the token proves possession, the database decides validity.
 */

export const sessionDataSchema = z.object({
  sid: z.uuid(),
  token: z.string().min(32),
  uid: z.uuid().nullable(),
  username: z.string().nullable(),
  role: z.enum(["user", "admin"]).nullable(),
  kind: z.enum(sessionKinds),
  createdAt: z.number(),
  lastActivityAt: z.number(),
  authenticatedAt: z.number().nullable(),
  rememberMe: z.boolean(),
  // Binding facts from sign-in and the user's policy override, so the edge can judge without the database.
  ip: z.string().max(64).nullable(),
  uaf: z.string().max(128).nullable(),
  ovr: policyPatchSchema.nullable(),
  // The second-factor step this session still owes (null once verified or when none is owed).
  mfa: z.enum(["verify", "enrol"]).nullable().default(null),
});
export type SessionData = z.infer<typeof sessionDataSchema>;

export type CookieSettings = {
  name: string;
  secure: boolean;
  /** iron-session password maps: new seals use the current secret; every listed secret unseals (rotation). */
  sealPasswords: Record<number, string>;
  unsealPasswords: Record<number, string>;
  /** Identifies the secret set (ids only) for the unseal cache. */
  cacheNamespace: string;
};

/**
 * A stable id per secret (FNV-1a), written in clear in each seal, so that cookies keep their id when secrets are
 * added or retired. It reveals nothing useful: the seal's own MAC is a far better oracle for a weak secret.
 */
function secretId(secret: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < secret.length; i++) {
    hash ^= secret.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 1) + 1;
}

export function cookieSettings(config: Pick<AppConfig, "secureCookies" | "SESSION_SECRET">): CookieSettings {
  const secrets = config.SESSION_SECRET;
  if (!secrets || secrets.length === 0) {
    throw new Error("SESSION_SECRET is not set: start the app with `npm start` / `npm run dev`, or set it (32+ characters).");
  }
  const [current] = secrets as [string, ...string[]];
  const unsealPasswords: Record<number, string> = {};
  for (const secret of secrets) unsealPasswords[secretId(secret)] = secret;
  return {
    // `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain) where https makes that possible.
    name: config.secureCookies ? "__Host-growbal_session" : "growbal_session",
    secure: config.secureCookies,
    // The first secret in the list is the current one.
    sealPasswords: { [secretId(current)]: current },
    unsealPasswords,
    cacheNamespace: Object.keys(unsealPasswords).join(","),
  };
}

/** The small cookie that says why the last session ended (its value is a reason, never a secret). */
export function endedCookieName(settings: Pick<CookieSettings, "name">): string {
  return `${settings.name}_ended`;
}

export type CookieAttributes = {
  httpOnly: true;
  secure: boolean;
  sameSite: "lax";
  path: "/";
  maxAge: number;
};

export function cookieAttributes(settings: CookieSettings, maxAgeSeconds: number): CookieAttributes {
  return { httpOnly: true, secure: settings.secure, sameSite: "lax", path: "/", maxAge: Math.max(0, Math.floor(maxAgeSeconds)) };
}

export async function sealSession(data: SessionData, settings: CookieSettings, ttlSeconds: number): Promise<string> {
  return sealData(data, { password: settings.sealPasswords, ttl: Math.max(60, Math.ceil(ttlSeconds)) });
}

/** The session in a sealed cookie value, or null when it is missing, tampered, expired or malformed. */
export async function unsealSession(sealed: string | undefined, settings: CookieSettings): Promise<SessionData | null> {
  if (!sealed || sealed.length > 4096) return null;
  // Keyed by the secrets too, so a rotation never serves an unseal made under other secrets.
  const cacheKey = `${settings.cacheNamespace}|${sealed}`;
  const now = Date.now();
  const cached = cachedUnseal(cacheKey, now);
  if (cached !== undefined) return structuredClone(cached as SessionData);
  try {
    const raw = await unsealData<unknown>(sealed, { password: settings.unsealPasswords, ttl: 0 });
    const parsed = sessionDataSchema.safeParse(raw);
    if (!parsed.success) return null;
    rememberUnseal(cacheKey, sealed, parsed.data, now);
    return structuredClone(parsed.data);
  } catch {
    return null;
  }
}
