import { AppError } from "@/lib/app-error";
import { getConfig } from "@/lib/config";
import { hasBearer } from "@/lib/http/bearer";
import { route } from "@/lib/http/route";
import { metrics } from "@/lib/metrics/registry";

/** GET /api/metrics: Prometheus text format, behind `Authorization: Bearer $METRICS_SECRET` (off when it is unset). */
export const GET = route(
  {
    auth: "public",
    doc: {
      summary: "Prometheus metrics",
      description:
        "Requests by route and status, session checks by outcome, sign-ins by method and outcome, cleanup rows by category, " +
        "alerts by severity, and the process's own. `Authorization: Bearer $METRICS_SECRET`; 404 while METRICS_SECRET is unset.",
      security: "metrics_secret",
      response: { description: "The metrics.", contentType: "text/plain" },
      errors: { 401: "`unauthorized`: the bearer secret is missing or wrong.", 404: "`not_found`: metrics are off (no METRICS_SECRET)." },
    },
  },
  async ({ request }) => {
    const secret = getConfig().METRICS_SECRET;
    if (!secret) throw AppError.notFound("Metrics are off: set METRICS_SECRET to turn them on.");
    if (!hasBearer(request, secret)) throw new AppError("unauthorized", "A valid bearer token is required.", 401);
    const { registry } = metrics();
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
  },
);
