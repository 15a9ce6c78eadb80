"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { readStream } from "@/lib/chat/stream-protocol";
import type { SendMessageState } from "./actions";

export type ShownMessage = { id: string; role: "user" | "assistant" | "system"; content: string };

const MAX = 4000;

/**
 * The conversation and its composer. With JavaScript the reply streams in from /api/chat/{id}/messages; the form's
 * server action is the fallback without it.
 */
export function Conversation({
  chatId,
  messages,
  assistantLabel,
  sendAction,
}: {
  chatId: string;
  messages: ShownMessage[];
  assistantLabel: string;
  sendAction: (previous: SendMessageState, formData: FormData) => Promise<SendMessageState>;
}) {
  const router = useRouter();
  const [fallbackState, formAction, fallbackPending] = useActionState(sendAction, {});
  const [draft, setDraft] = useState("");
  const [pendingText, setPendingText] = useState<string | null>(null);
  const [streamed, setStreamed] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  // How many messages the page showed when the last turn started: the temporary copies go once the history grows.
  const [baseline, setBaseline] = useState<number | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const busy = sending || fallbackPending;
  const shownError = error ?? fallbackState.fieldErrors?.content?.[0] ?? fallbackState.message ?? null;
  // Once the refreshed history includes the streamed turn, the temporary copies are no longer shown.
  const turnLanded = !sending && baseline !== null && messages.length > baseline;
  const shownPending = turnLanded ? null : pendingText;

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [messages.length, streamed, shownPending]);

  async function send(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const content = draft.trim();
    if (!content) {
      setError("Write a message.");
      return;
    }
    if (content.length > MAX) {
      setError(`Messages can be at most ${MAX.toLocaleString("en")} characters.`);
      return;
    }
    setSending(true);
    setError(null);
    setBaseline(messages.length);
    setPendingText(content);
    setStreamed("");
    try {
      const response = await fetch(`/api/chat/${chatId}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ content }),
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(body?.error?.message ?? "Your message could not be sent. Please try again.");
        setPendingText(null);
        if (response.status === 401) router.refresh();
        return;
      }
      setDraft("");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = "";
      let end = readStream(text);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        end = readStream(text);
        setStreamed(end.reply);
        if (end.error) setError(end.error);
      }
      if (!end.messageSaved) {
        // Nothing was saved: the text goes back in the box, unless they already started a new one.
        setDraft((current) => current || content);
        setPendingText(null);
        return;
      }
      router.refresh();
    } catch {
      setDraft((current) => current || content);
      setError("The connection dropped. Your message may have been saved; check the conversation before sending it again.");
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <ol className="flex flex-col gap-3" aria-label="Conversation" aria-live="polite">
        {messages.length === 0 && !shownPending ? (
          <li className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-slate-600">
            No messages yet. Ask anything about your plans: costs, timelines, documents…
          </li>
        ) : null}
        {messages.map((m) => (
          <Bubble key={m.id} role={m.role} content={m.content} assistantLabel={assistantLabel} />
        ))}
        {shownPending ? <Bubble role="user" content={shownPending} assistantLabel={assistantLabel} /> : null}
        {shownPending && (streamed || sending) ? (
          <Bubble role="assistant" content={streamed || "…"} assistantLabel={assistantLabel} busy={sending} />
        ) : null}
      </ol>
      <div ref={endRef} />

      <form action={formAction} onSubmit={send} className="card sticky bottom-4 space-y-2 p-4" noValidate>
        <label htmlFor="message" className="sr-only">
          Your message
        </label>
        <textarea
          id="message"
          name="content"
          rows={3}
          value={draft}
          maxLength={MAX}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          placeholder="Ask the Growbal assistant… (Enter to send, Shift+Enter for a new line)"
          aria-invalid={shownError ? true : undefined}
          aria-describedby="message-help"
          className="w-full resize-y rounded-lg border border-slate-300 px-3 py-2 focus:border-brand"
        />
        <div id="message-help" className="flex items-center justify-between gap-3 text-sm">
          <span aria-live="polite" className={shownError ? "text-red-700" : "text-slate-500"} data-testid="chat-error">
            {shownError ?? `${draft.length.toLocaleString("en")} / ${MAX.toLocaleString("en")}`}
          </span>
          <button type="submit" disabled={busy} className="btn btn-primary">
            {busy ? "Sending…" : "Send"}
          </button>
        </div>
      </form>
    </div>
  );
}

function Bubble({
  role,
  content,
  assistantLabel,
  busy = false,
}: {
  role: ShownMessage["role"];
  content: string;
  assistantLabel: string;
  busy?: boolean;
}) {
  const mine = role === "user";
  return (
    <li
      className={`flex ${mine ? "justify-end" : "justify-start"}`}
      data-testid={mine ? "message-user" : "message-assistant"}
      aria-busy={busy || undefined}
    >
      <div className={`max-w-[85%] rounded-2xl px-4 py-3 shadow-sm ${mine ? "bg-brand-strong text-white" : "bg-white text-slate-800"}`}>
        <p className={`mb-1 text-xs font-semibold ${mine ? "text-white/90" : "text-brand-ink"}`}>{mine ? "You" : assistantLabel}</p>
        <p className="whitespace-pre-wrap break-words">{content}</p>
      </div>
    </li>
  );
}
