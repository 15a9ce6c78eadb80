import type { SecurityAlert } from "@/lib/db/schema";
import { afterResponse } from "@/lib/delivery/after-response";
import { withRetries, type DeliveryResult, type RetryOptions } from "@/lib/delivery/retry";
import { log } from "@/lib/log/logger";

/** Alert delivery to a Slack-compatible webhook: retried with back-off, never blocking the request that raised it. */

const COLORS: Record<string, string> = { low: "#64748b", medium: "#d97706", high: "#dc2626", critical: "#7f1d1d" };

export function slackPayload(alert: Pick<SecurityAlert, "id" | "type" | "severity" | "subject" | "message" | "occurrences" | "createdAt">) {
  return {
    text: `Growbal security alert [${alert.severity.toUpperCase()}] ${alert.type}: ${alert.message}`,
    attachments: [
      {
        color: COLORS[alert.severity] ?? COLORS.medium,
        fields: [
          { title: "Type", value: alert.type, short: true },
          { title: "Severity", value: alert.severity, short: true },
          { title: "Subject", value: alert.subject, short: true },
          { title: "Occurrences", value: String(alert.occurrences), short: true },
        ],
        footer: `alert ${alert.id}`,
        ts: Math.floor(alert.createdAt.getTime() / 1000),
      },
    ],
  };
}

export async function deliverWebhook(
  url: string,
  payload: unknown,
  options: RetryOptions & { timeoutMs?: number } = {},
): Promise<DeliveryResult> {
  return withRetries(async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (response.ok) return "delivered";
    // A 4xx other than 429 will not get better by retrying.
    return response.status < 500 && response.status !== 429 ? "give_up" : "retry";
  }, options);
}

/** Delivery of one alert without holding up the response (see afterResponse). */
export function notifyWebhook(url: string | undefined, alert: SecurityAlert): void {
  if (!url) return;
  afterResponse("alert webhook", async () => {
    const result = await deliverWebhook(url, slackPayload(alert));
    if (!result.delivered) log().error({ alertId: alert.id, attempts: result.attempts }, "alert webhook not delivered");
  });
}
