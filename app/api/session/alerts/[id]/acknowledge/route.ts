import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { alertJson } from "@/lib/monitor/alert-json";
import { acknowledgeAlert } from "@/lib/monitor/alerts";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

/** POST /api/session/alerts/{id}/acknowledge (admin, recent sign-in). */
export async function POST(_request: NextRequest, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const id = z.uuid().safeParse((await context.params).id);
  if (!id.success) return jsonError(404, "not_found", "No such alert.");
  const { now } = await getRequestContext();
  const alert = await acknowledgeAlert(getDb(), id.data, auth.user.id, now);
  if (!alert) return jsonError(404, "not_found", "No such alert.");
  return NextResponse.json(alertJson(alert));
}
