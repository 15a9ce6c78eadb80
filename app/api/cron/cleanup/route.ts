import { NextResponse } from "next/server";
import { runCleanup } from "@/lib/cleanup/run";
import { getConfig } from "@/lib/config";
import { hasBearer } from "@/lib/http/bearer";
import { jsonError } from "@/lib/http/errors";

/**
 * Session cleanup, triggered by cron: every 30 minutes (vercel.json `*\/30 * * * *`, matching the default
 * SESSION_CLEANUP_INTERVAL of 1800 s). Ends expired, idle, policy-violating, orphaned, over-limit and suspicious
 * sessions and purges long-ended ones; overlapping calls do nothing twice (advisory lock).
 * Auth first: `Authorization: Bearer $CRON_SECRET`. A missing CRON_SECRET is a configuration error, never a bypass.
 */
async function handle(request: Request) {
  const secret = getConfig().CRON_SECRET;
  if (!secret) return jsonError(500, "misconfigured", "CRON_SECRET is not set; the cleanup endpoint is disabled.");
  if (!hasBearer(request, secret)) return jsonError(401, "unauthorized", "A valid bearer token is required.");

  const result = await runCleanup({ trigger: "cron" });
  if ("skipped" in result) return NextResponse.json(result, { status: 200 });
  if (result.error) {
    return NextResponse.json({ error: { code: "server_error", message: "The cleanup stopped early; see /api/session/cleanup-stats." }, run: result }, { status: 500 });
  }
  return NextResponse.json(result);
}

export const GET = handle;
export const POST = handle;
