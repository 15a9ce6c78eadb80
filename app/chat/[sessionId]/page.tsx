import type { Metadata } from "next";
import Link from "next/link";
import { getAssistant } from "@/lib/chat/assistant";
import { isChatExpired } from "@/lib/chat/chat-sessions";
import { countryName } from "@/lib/chat/countries";
import { listMessages } from "@/lib/chat/messages";
import { serviceLabel } from "@/lib/chat/services";
import { getDb } from "@/lib/db/client";
import { getRequestContext } from "@/lib/sessions/request-context";
import { sendMessageAction } from "./actions";
import { Conversation } from "./conversation";
import { loadOwnedChat } from "./load-chat";

export const metadata: Metadata = { title: "Chat" };

type Props = { params: Promise<{ sessionId: string }> };

export default async function ChatPage({ params }: Props) {
  const { sessionId } = await params;
  const { current, chat } = await loadOwnedChat(sessionId);
  const { now } = await getRequestContext();
  const messages = await listMessages(getDb(), chat.id);
  const expired = isChatExpired(chat, now);
  const title = `${countryName(chat.country)} - ${serviceLabel(chat.serviceType)}`;
  const restart = `/country?country=${encodeURIComponent(chat.country)}&service=${encodeURIComponent(chat.serviceType)}`;

  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-brand-deep">{title}</h1>
          <p className="text-sm text-slate-600">
            Chatting with the {getAssistant().label}
            {current.user ? null : " · not signed in: sign in to keep this chat in your dashboard"}
          </p>
        </div>
        <div className="flex gap-2">
          {current.user ? null : (
            // The header's "Sign in" does not know this chat; this one comes back to it.
            <Link href={`/login?next=${encodeURIComponent(`/chat/${chat.id}`)}`} className="btn btn-secondary">
              Sign in
            </Link>
          )}
          <Link href="/country" className="btn btn-secondary">
            New chat
          </Link>
        </div>
      </div>

      {expired ? (
        <>
          <ol className="flex flex-col gap-3" aria-label="Conversation">
            {messages.map((m) => (
              <li key={m.id} className={`flex ${m.role === "user" ? "justify-end" : "justify-start"}`}>
                <div
                  className={`max-w-[85%] rounded-2xl px-4 py-3 ${m.role === "user" ? "bg-brand-strong text-white" : "bg-white text-slate-800"}`}
                >
                  <p className="whitespace-pre-wrap break-words">{m.content}</p>
                </div>
              </li>
            ))}
          </ol>
          <div role="status" className="card flex flex-wrap items-center justify-between gap-3 border border-amber-200 p-5">
            <p className="text-amber-900">This chat session has expired and is read-only.</p>
            <Link href={restart} className="btn btn-primary">
              Start a new session
            </Link>
          </div>
        </>
      ) : (
        <Conversation
          chatId={chat.id}
          assistantLabel={getAssistant().label}
          messages={messages.map((m) => ({ id: String(m.id), role: m.role, content: m.content }))}
          sendAction={sendMessageAction.bind(null, chat.id)}
        />
      )}
    </div>
  );
}
