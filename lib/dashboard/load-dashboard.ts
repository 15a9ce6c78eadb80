import { listUserChats, userChatStats } from "@/lib/chat/chat-sessions";
import type { Queryable } from "@/lib/db/client";
import { failedAttemptsBeforeThisSignIn } from "@/lib/monitor/failed-attempts-notice";
import { openNewDeviceNotices } from "@/lib/monitor/new-device-notices";

/** How many chats the dashboard lists; the rest are a click away. */
export const DASHBOARD_CHAT_LIMIT = 20;

/**
 * What the dashboard shows besides the session itself: four queries, however long the person's history
 * (bench/dashboard.ts counts them with 1,000 chats and 100,000 messages).
 */
export async function loadDashboard(db: Queryable, input: { userId: string; authSessionId: string; now: Date }) {
  const [stats, chats, notices, failedAttempts] = await Promise.all([
    userChatStats(db, input.userId, input.now),
    listUserChats(db, input.userId, { limit: DASHBOARD_CHAT_LIMIT, now: input.now }),
    openNewDeviceNotices(db, input.userId, input.authSessionId, input.now),
    failedAttemptsBeforeThisSignIn(db, input.userId, input.authSessionId, input.now),
  ]);
  return { stats, chats, notices, failedAttempts };
}
