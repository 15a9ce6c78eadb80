import "server-only";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { securityEvents } from "@/lib/db/schema";
import { networkOf } from "@/lib/policies/network";
import { describeUserAgent } from "@/lib/policies/user-agent";
import { DAY_MS } from "@/lib/time";

/**
 * New-device notice (ASVS v5 6.3.5): a sign-in from a browser/OS and network the user has not signed in from
 * within 90 days. The first sign-in of an account is not "new": there is nothing to compare with.
 */
export type DeviceFingerprint = { device: string; network: string | null };

const NINETY_DAYS = 90 * DAY_MS;

export function deviceOf(userAgent: string | null, ip: string | null): DeviceFingerprint {
  const { browser, os } = describeUserAgent(userAgent);
  // The browser's family, not its version: an update is not a new device.
  return { device: `${browser.replace(/ \d+$/, "")} on ${os}`, network: ip ? networkOf(ip) : null };
}

/** "Chrome on Linux from 203.0.113.x" */
export function describeDevice(userAgent: string | null, ip: string | null): string {
  const { browser, os } = describeUserAgent(userAgent);
  const masked = ip ? (ip.includes(":") ? `${ip.split(":").slice(0, 4).join(":")}:…` : ip.replace(/\.\d+$/, ".x")) : "an unknown network";
  return `${browser.replace(/ \d+$/, "")} on ${os} from ${masked}`;
}

export async function isNewDevice(db: Queryable, userId: string, device: DeviceFingerprint, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - NINETY_DAYS);
  const [history] = await db
    .select({
      any: sql<number>`count(*)::int`,
      same: sql<number>`count(*) filter (where ${securityEvents.details}->>'device' = ${device.device} and coalesce(${securityEvents.details}->>'network', '') = ${device.network ?? ""})::int`,
    })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        eq(securityEvents.type, "login_succeeded"),
        gt(securityEvents.at, since),
        lt(securityEvents.at, now),
      ),
    );
  return (history?.any ?? 0) > 0 && (history?.same ?? 0) === 0;
}
