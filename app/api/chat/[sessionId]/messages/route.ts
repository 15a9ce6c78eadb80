import type { NextRequest } from "next/server";
import { getAssistant } from "@/lib/chat/assistant";
import { getOwnedChat, isChatExpired } from "@/lib/chat/chat-sessions";
import { exchange } from "@/lib/chat/exchange";
import { chatIdSchema, messageSchema } from "@/lib/chat/schemas";
import { ASSISTANT_FAILED_MARKER } from "@/lib/chat/stream-protocol";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/json-body";
import { authenticateSessionApi, chatOwnerOf } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { describeError } from "@/lib/http/describe-error";

/**
 * POST /api/chat/{id}/messages `{ content }`: saves the message and streams the assistant's reply as plain text.
 * The reply is saved when complete; a failure after the message was saved ends the stream with a marker line the
 * page turns into a message (the person's text is never lost).
 */
export async function POST(request: NextRequest, context: { params: Promise<{ sessionId: string }> }) {
  const auth = await authenticateSessionApi();
  if (!auth.ok) return auth.response;
  const id = chatIdSchema.safeParse((await context.params).sessionId);
  const chat = id.success ? await getOwnedChat(getDb(), chatOwnerOf(auth.current), id.data) : null;
  if (!chat) return jsonError(404, "not_found", "No such chat session.");
  const body = await parseJsonBody(request, messageSchema);
  if (!body.ok) return body.response;
  const { now } = await getRequestContext();
  if (isChatExpired(chat, now)) return jsonError(409, "conflict", "This chat session has expired. Start a new session to continue.");

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        const result = await exchange(getDb(), {
          chat,
          content: body.data.content,
          now,
          assistant: getAssistant(),
          onChunk: (piece) => controller.enqueue(encoder.encode(piece)),
          signal: request.signal,
        });
        if (result.error) controller.enqueue(encoder.encode(`${ASSISTANT_FAILED_MARKER}${result.error}`));
      } catch (error) {
        console.error("chat turn failed:", describeError(error));
        controller.enqueue(encoder.encode(`${ASSISTANT_FAILED_MARKER}Something went wrong on our side. Please try again.`));
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" } });
}
