import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { securityDashboard } from "@/lib/monitor/dashboard";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

/** GET /api/session/security-dashboard (admin). */
export async function GET() {
  const auth = await authenticateAdminApi();
  if (!auth.ok) return auth.response;
  const { now } = await getRequestContext();
  return NextResponse.json(await securityDashboard(getDb(), now), { headers: { "cache-control": "no-store" } });
}
