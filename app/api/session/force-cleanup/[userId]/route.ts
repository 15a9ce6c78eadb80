import { NextResponse, type NextRequest } from "next/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { forceCleanupUser } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { jsonError } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/json-body";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

const bodySchema = z
  .object({
    reason: z.string().trim().min(1).max(500).optional(),
    exceptSessionId: z.uuid().optional(),
  })
  .strict();

/** POST /api/session/force-cleanup/{userId} (admin, recent sign-in): ends every session of that user. */
export async function POST(request: NextRequest, context: { params: Promise<{ userId: string }> }) {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const userId = z.uuid().safeParse((await context.params).userId);
  if (!userId.success) return jsonError(400, "invalid_request", "userId must be a UUID.");
  const body = await parseJsonBody(request, bodySchema);
  if (!body.ok) return body.response;
  const [target] = await getDb().select({ id: users.id }).from(users).where(eq(users.id, userId.data));
  if (!target) return jsonError(404, "not_found", "No such user.");

  const { now } = await getRequestContext();
  const reason = body.data.reason ?? "administrative";
  const cleanedSessions = await forceCleanupUser(adhocCleanupContext("admin", now), {
    userId: target.id,
    note: reason,
    byUserId: auth.user.id,
    exceptSessionId: body.data.exceptSessionId,
  });
  return NextResponse.json({ cleanedSessions, reason });
}
