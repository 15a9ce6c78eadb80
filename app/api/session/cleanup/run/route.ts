import { NextResponse } from "next/server";
import { runCleanup } from "@/lib/cleanup/run";
import { authenticateAdminApi } from "@/lib/sessions/dal";

/** POST /api/session/cleanup/run (admin, recent sign-in): "Run cleanup now". */
export async function POST() {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const result = await runCleanup({ trigger: "admin" });
  return NextResponse.json(result, { status: "skipped" in result || !result.error ? 200 : 500 });
}
