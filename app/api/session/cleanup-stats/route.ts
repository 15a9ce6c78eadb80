import { NextResponse } from "next/server";
import { cleanupStatistics } from "@/lib/cleanup/stats";
import { getDb } from "@/lib/db/client";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

/** GET /api/session/cleanup-stats (admin): status, interval, category switches, totals, last run, next due. */
export async function GET() {
  const auth = await authenticateAdminApi();
  if (!auth.ok) return auth.response;
  const { now } = await getRequestContext();
  return NextResponse.json(await cleanupStatistics(getDb(), now), { headers: { "cache-control": "no-store" } });
}
