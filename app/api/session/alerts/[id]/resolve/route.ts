import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/json-body";
import { alertJson } from "@/lib/monitor/alert-json";
import { resolveAlert } from "@/lib/monitor/alerts";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

const bodySchema = z.object({ notes: z.string().trim().max(2000).optional() }).strict();

/** POST /api/session/alerts/{id}/resolve `{ notes? }` (admin, recent sign-in). */
export async function POST(request: NextRequest, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const id = z.uuid().safeParse((await context.params).id);
  if (!id.success) return jsonError(404, "not_found", "No such alert.");
  const body = await parseJsonBody(request, bodySchema);
  if (!body.ok) return body.response;
  const { now } = await getRequestContext();
  const alert = await resolveAlert(getDb(), id.data, auth.user.id, body.data.notes || null, now);
  if (!alert) return jsonError(404, "not_found", "No such alert.");
  return NextResponse.json(alertJson(alert));
}
