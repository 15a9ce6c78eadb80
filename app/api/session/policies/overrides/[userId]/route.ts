import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/json-body";
import { recordEvent } from "@/lib/monitor/events";
import { clearOverride, setOverride } from "@/lib/policies/overrides-store";
import { policyPatchSchema } from "@/lib/policies/resolve";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

/** PUT/DELETE /api/session/policies/overrides/{userId}: an administrator sets or clears a user's policy override. */

type Context = { params: Promise<{ userId: string }> };

const userIdSchema = z.uuid({ message: "userId must be a UUID" });
const bodySchema = z.object({ policy: policyPatchSchema, reason: z.string().trim().max(500).optional() }).strict();

async function targetUser(context: Context) {
  const parsed = userIdSchema.safeParse((await context.params).userId);
  return parsed.success ? parsed.data : null;
}

export async function PUT(request: NextRequest, context: Context) {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const userId = await targetUser(context);
  if (!userId) return jsonError(400, "invalid_request", "userId must be a UUID.");
  const body = await parseJsonBody(request, bodySchema);
  if (!body.ok) return body.response;

  const { now, facts } = await getRequestContext();
  const db = getDb();
  const saved = await db.transaction(async (tx) => {
    const row = await setOverride(tx, { userId, policy: body.data.policy, reason: body.data.reason ?? null, updatedBy: auth.user.id, now });
    if (row) {
      await recordEvent(tx, "policy_override_set", { userId, ip: facts.ip, userAgent: facts.userAgent, at: now, details: { by: auth.user.id, policy: body.data.policy } });
    }
    return row;
  });
  if (!saved) return jsonError(404, "not_found", "No such user.");
  return NextResponse.json({ userId: saved.userId, policy: saved.policy, reason: saved.reason, updatedAt: saved.updatedAt.toISOString() });
}

export async function DELETE(_request: NextRequest, context: Context) {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const userId = await targetUser(context);
  if (!userId) return jsonError(400, "invalid_request", "userId must be a UUID.");
  const { now, facts } = await getRequestContext();
  const cleared = await getDb().transaction(async (tx) => {
    const removed = await clearOverride(tx, userId);
    if (removed) await recordEvent(tx, "policy_override_cleared", { userId, ip: facts.ip, userAgent: facts.userAgent, at: now, details: { by: auth.user.id } });
    return removed;
  });
  if (!cleared) return jsonError(404, "not_found", "That user has no policy override.");
  return NextResponse.json({ userId, cleared: true });
}
