import { after } from "next/server";
import { describeError } from "@/lib/log/describe-error";
import { log } from "@/lib/log/logger";

/**
 * Work that must not hold up a response (a notification and its retries): inside a request it runs after the
 * response is sent, through Next's `after()`, which also keeps a serverless function alive for it; elsewhere (the
 * cleanup job, tests) it simply runs in the background. A failure is logged, never thrown at anyone.
 */
export function afterResponse(what: string, work: () => Promise<void>): void {
  const run = () => work().catch((error: unknown) => log().error({ err: describeError(error), what }, "background work failed"));
  try {
    after(run);
  } catch {
    void run();
  }
}
