"use server";

import { redirect } from "next/navigation";
import { findOrCreateChat } from "@/lib/chat/chat-sessions";
import { startChatSchema } from "@/lib/chat/schemas";
import { getDb } from "@/lib/db/client";
import { spendAnonymousQuota } from "@/lib/chat/anonymous-usage";
import { startAnonymousSession } from "@/lib/sessions/anonymous";
import { chatOwnerOf, getCurrentSession, getSessionOwingSecondFactor, type CurrentSession } from "@/lib/sessions/dal";
import { secondFactorUrl } from "@/lib/policies/second-factor";
import { policyFor } from "@/lib/sessions/session-policy";
import { getRequestContext } from "@/lib/sessions/request-context";
import { sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";

export type StartChatState = ActionState<"country" | "serviceType">;

/** "Start chat": reuses the visitor's live chat on the same country and service, or starts one. */
export async function startChatAction(_previous: StartChatState, formData: FormData): Promise<StartChatState> {
  const form = parseForm(formData, startChatSchema);
  if (!form.ok) return form.state;

  const { now, facts } = await getRequestContext();
  // Someone half-way through signing in finishes that first (their chat would otherwise start anonymous).
  const owing = await getSessionOwingSecondFactor();
  if (owing) redirect(secondFactorUrl(owing.secondFactor, "/country"));
  let chatId: string;
  try {
    const signedIn = await getCurrentSession();
    const db = getDb();
    const started = await db.transaction(async (tx) => {
      let current: CurrentSession;
      let anonymous: Awaited<ReturnType<typeof startAnonymousSession>> | null = null;
      if (signedIn) current = signedIn;
      else {
        // Visitors may chat before signing in: they get an anonymous session that owns the chat.
        anonymous = await startAnonymousSession(tx, facts, now);
        current = { session: anonymous.session, user: null, policy: policyFor("anonymous", null), secondFactor: null };
      }
      const { chat } = await findOrCreateChat(tx, chatOwnerOf(current), form.data, {
        rememberMe: current.session.rememberMe,
        now,
        // Chats started without signing in count against the network's hourly quota.
        beforeCreate: current.user ? undefined : () => spendAnonymousQuota(tx, facts.ip, "start_chat", now),
      });
      return { chat, anonymous };
    });
    // The cookie only once the session is committed.
    if (started.anonymous) await writeSessionCookie(sessionDataFor(started.anonymous.session, started.anonymous.token, null, null), now);
    chatId = started.chat.id;
  } catch (error) {
    return failedAction("start chat", error, "We could not start the chat just now. Please try again.", form.values);
  }
  redirect(`/chat/${chatId}`);
}
