/**
 * Delivery to something outside (a webhook, a mail server) that may be briefly down: a few attempts with
 * exponential back-off (base, 2×base, 4×base…). An attempt says whether it got through, should be tried again, or
 * will never get through (a refusal that retrying cannot change).
 */
export type AttemptOutcome = "delivered" | "retry" | "give_up";
export type RetryOptions = { attempts?: number; baseDelayMs?: number };
export type DeliveryResult = { delivered: boolean; attempts: number };

export async function withRetries(attempt: () => Promise<AttemptOutcome>, options: RetryOptions = {}): Promise<DeliveryResult> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 500;
  for (let n = 1; n <= attempts; n++) {
    let outcome: AttemptOutcome;
    try {
      outcome = await attempt();
    } catch {
      outcome = "retry";
    }
    if (outcome === "delivered") return { delivered: true, attempts: n };
    if (outcome === "give_up") return { delivered: false, attempts: n };
    if (n < attempts) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (n - 1)));
  }
  return { delivered: false, attempts };
}
