import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { getAssistant } from "@/lib/chat/assistant";
import { getOwnedChat, isChatExpired } from "@/lib/chat/chat-sessions";
import { spendAnonymousQuota } from "@/lib/chat/anonymous-usage";
import { exchange } from "@/lib/chat/exchange";
import { chatIdSchema, messageSchema } from "@/lib/chat/schemas";
import { ASSISTANT_FAILED_MARKER, TURN_FAILED_MARKER } from "@/lib/chat/stream-protocol";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { describeError } from "@/lib/log/describe-error";
import { route } from "@/lib/http/route";
import { chatOwnerOf } from "@/lib/sessions/dal";
import { log } from "@/lib/log/logger";
import { REQUEST_ID_HEADER } from "@/lib/log/request-id";

/**
 * POST /api/chat/{id}/messages `{ content }`: saves the message and streams the assistant's reply as plain text.
 * The reply is saved when complete; a failure ends the stream with a marker the page turns into a message, saying
 * whether the person's text was saved (if not, the page gives it back to them).
 */
export const POST = route(
  {
    auth: "session",
    params: z.object({ sessionId: chatIdSchema }),
    body: messageSchema,
    notFound: "No such chat session.",
    doc: {
      summary: "Send a chat message; the reply streams back",
      description:
        "Saves the message and streams the assistant's reply as plain text, saved when complete. A failure ends the stream " +
        "with a marker line saying whether the message was saved. Visitors who have not signed in have an hourly quota.",
      requestExample: { content: "What licences does a consultancy need in the UAE?" },
      response: { description: "The reply, streamed.", contentType: "text/plain" },
      errors: {
        409: "`conflict`: the chat session has expired; start a new one.",
        429: "`rate_limited`: the anonymous message quota is used up; wait `Retry-After` seconds.",
      },
    },
  },
  async ({ request, db, current, params, body, now, facts }) => {
    const chat = await getOwnedChat(db, chatOwnerOf(current), params.sessionId);
    if (!chat) throw AppError.notFound("No such chat session.");
    if (isChatExpired(chat, now)) throw AppError.conflict("This chat session has expired. Start a new session to continue.");
    // Visitors who have not signed in have an hourly message quota per network (429 with Retry-After).
    if (!current.user) await spendAnonymousQuota(db, facts.ip, "send_message", now);
    const encoder = new TextEncoder();
    const reqId = request.headers.get(REQUEST_ID_HEADER) ?? undefined;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          const result = await exchange(db, {
            chat,
            content: body.content,
            now,
            assistant: getAssistant(),
            onChunk: (piece) => controller.enqueue(encoder.encode(piece)),
            signal: request.signal,
          });
          if (result.error) controller.enqueue(encoder.encode(`${ASSISTANT_FAILED_MARKER}${result.error}`));
        } catch (error) {
          // exchange() lets only a failure to save the person's message escape: nothing was saved.
          log().error({ reqId, err: describeError(error) }, "chat turn failed");
          const message = isDatabaseUnavailable(error)
            ? "The service is briefly unavailable, so your message was not sent. Please try again in a moment."
            : "Your message could not be sent. Please try again.";
          controller.enqueue(encoder.encode(`${TURN_FAILED_MARKER}${message}`));
        } finally {
          controller.close();
        }
      },
    });
    return new Response(stream, { headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });
  },
);
