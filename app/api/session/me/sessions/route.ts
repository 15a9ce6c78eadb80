import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { authenticateApi } from "@/lib/sessions/dal";
import { listDevices } from "@/lib/sessions/devices";
import { getRequestContext } from "@/lib/sessions/request-context";

/** GET /api/session/me/sessions: the signed-in user's live sessions ("signed-in devices"). */
export async function GET() {
  const auth = await authenticateApi();
  if (!auth.ok) return auth.response;
  const { now } = await getRequestContext();
  const sessions = await listDevices(getDb(), auth.user.id, auth.session.id, now);
  return NextResponse.json({ sessions }, { headers: { "cache-control": "no-store" } });
}
