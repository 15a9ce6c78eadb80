ALTER TABLE "chat_sessions" ADD COLUMN "message_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Chats that existed before the column: count their messages once.
UPDATE "chat_sessions" AS c SET "message_count" = m.n FROM (SELECT "chat_session_id", count(*)::int AS n FROM "chat_messages" GROUP BY "chat_session_id") AS m WHERE m."chat_session_id" = c."id";
