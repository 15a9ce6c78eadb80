import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { countOverrides } from "@/lib/policies/overrides-store";
import { policySummary } from "@/lib/policies/summary";
import { authenticateApi } from "@/lib/sessions/dal";

/** GET /api/session/policies: enforcement flag, default level, every policy, number of per-user overrides. */
export async function GET() {
  const auth = await authenticateApi();
  if (!auth.ok) return auth.response;
  const summary = policySummary(getConfig().policySettings, await countOverrides(getDb()));
  return NextResponse.json(summary, { headers: { "cache-control": "no-store" } });
}
