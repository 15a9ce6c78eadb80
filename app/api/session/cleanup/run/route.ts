import { NextResponse } from "next/server";
import { runCleanup } from "@/lib/cleanup/run";
import { route } from "@/lib/http/route";

/** POST /api/session/cleanup/run (admin, recent sign-in): "Run cleanup now". */
export const POST = route({ auth: "admin", stepUp: true }, async () => {
  const result = await runCleanup({ trigger: "admin" });
  // A run that stopped early is reported with its record (what it did stays done).
  return NextResponse.json(result, { status: "skipped" in result || !result.error ? 200 : 500 });
});
