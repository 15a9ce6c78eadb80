/**
 * A bounded cache of verified unseals, keyed by the sealed cookie string. Unsealing costs ~0.4 ms of CPU (two
 * PBKDF2 derivations and six WebCrypto calls) and the cookie changes at most once a minute, so nearly every
 * request is a hit. An entry never outlives the seal's own expiry; the DAL still checks the database every time.
 * Edge-safe.
 */
const MAX_ENTRIES = 2000;
import { MINUTE_MS } from "@/lib/time";
const MAX_AGE_MS = 5 * MINUTE_MS;

type Entry = { value: unknown; expiresAt: number };
const entries = new Map<string, Entry>();

/** The expiry iron wrote into a seal (ms since epoch), or null when it has none. */
function sealExpiry(sealed: string): number | null {
  const parts = sealed.split("~")[0]?.split("*") ?? [];
  const expiration = Number(parts[5]);
  return parts.length === 8 && Number.isFinite(expiration) && expiration > 0 ? expiration : null;
}

export function cachedUnseal(cacheKey: string, now: number): unknown {
  const entry = entries.get(cacheKey);
  if (!entry) return undefined;
  entries.delete(cacheKey);
  if (entry.expiresAt <= now) return undefined;
  entries.set(cacheKey, entry); // most recently used last
  return entry.value;
}

export function rememberUnseal(cacheKey: string, sealed: string, value: unknown, now: number): void {
  const expiry = sealExpiry(sealed);
  if (expiry === null) return;
  entries.set(cacheKey, { value, expiresAt: Math.min(expiry, now + MAX_AGE_MS) });
  while (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
}
