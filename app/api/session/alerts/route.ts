import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { alertJson } from "@/lib/monitor/alert-json";
import { listAlerts } from "@/lib/monitor/alerts";
import { authenticateAdminApi } from "@/lib/sessions/dal";

const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const querySchema = z.object({
  severity: z.enum(["low", "medium", "high", "critical"]).optional(),
  acknowledged: flag.optional(),
  resolved: flag.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** GET /api/session/alerts?severity=&acknowledged=&resolved=&limit= (admin). */
export async function GET(request: NextRequest) {
  const auth = await authenticateAdminApi();
  if (!auth.ok) return auth.response;
  const parsed = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return jsonError(400, "invalid_request", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const alerts = await listAlerts(getDb(), parsed.data);
  return NextResponse.json({ alerts: alerts.map(alertJson) }, { headers: { "cache-control": "no-store" } });
}
