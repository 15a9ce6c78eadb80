import { NextResponse } from "next/server";
import { AppError } from "@/lib/app-error";
import { runCleanup } from "@/lib/cleanup/run";
import { getConfig } from "@/lib/config";
import { hasBearer } from "@/lib/http/bearer";
import { route } from "@/lib/http/route";

/**
 * Session cleanup, triggered by cron: every 30 minutes (vercel.json `*\/30 * * * *`, matching the default
 * SESSION_CLEANUP_INTERVAL of 1800 s). Ends expired, idle, policy-violating, orphaned, over-limit and suspicious
 * sessions and purges long-ended ones; overlapping calls do nothing twice (advisory lock).
 * Auth first: `Authorization: Bearer $CRON_SECRET`. A missing CRON_SECRET is a configuration error, never a bypass.
 */
const handle = route(
  {
    auth: "public",
    doc: {
      summary: "Scheduled session cleanup",
      description: "For the deployment's scheduler: `Authorization: Bearer $CRON_SECRET`. Overlapping calls do nothing twice.",
      security: "cron_secret",
      response: { description: "The run's counts, or why it was skipped." },
      errors: { 401: "`unauthorized`: the bearer secret is missing or wrong." },
    },
  },
  async ({ request }) => {
    const secret = getConfig().CRON_SECRET;
    if (!secret) throw new AppError("misconfigured", "CRON_SECRET is not set; the cleanup endpoint is disabled.", 500);
    if (!hasBearer(request, secret)) throw new AppError("unauthorized", "A valid bearer token is required.", 401);
    const result = await runCleanup({ trigger: "cron" });
    if ("skipped" in result || !result.error) return result;
    return NextResponse.json(
      { error: { code: "server_error", message: "The cleanup stopped early; see /api/session/cleanup-stats." }, run: result },
      { status: 500 },
    );
  },
);

export const GET = handle;
export const POST = handle;
