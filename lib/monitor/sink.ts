import { after } from "next/server";
import type { SecurityAlert } from "@/lib/db/schema";

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
  options: { attempts?: number; baseDelayMs?: number; timeoutMs?: number } = {},
): Promise<{ delivered: boolean; attempts: number }> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (response.ok) return { delivered: true, attempts: attempt };
      // A 4xx other than 429 will not get better by retrying.
      if (response.status < 500 && response.status !== 429) return { delivered: false, attempts: attempt };
    } catch {
      // network error: retry
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1)));
  }
  return { delivered: false, attempts };
}

/**
 * Delivery of one alert without holding up the response: inside a request it is handed to Next's `after()` (so a
 * serverless function is kept alive for the retries); elsewhere (jobs, tests) it simply runs in the background.
 */
export function notifyWebhook(url: string | undefined, alert: SecurityAlert): void {
  if (!url) return;
  const delivery = deliverWebhook(url, slackPayload(alert)).then((result) => {
    if (!result.delivered) console.error(`alert webhook: not delivered after ${result.attempts} attempt(s) (alert ${alert.id})`);
  });
  try {
    after(delivery);
  } catch {
    void delivery;
  }
}
