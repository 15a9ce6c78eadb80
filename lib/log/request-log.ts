import { log, type Logger } from "./logger";
import { REQUEST_ID_HEADER } from "./request-id";

/**
 * This request's id, or undefined outside a request (the cleanup scheduler, the CLI, the migration step). next/headers
 * is loaded lazily: the bundled command-line tools share this code but run without Next.js' request scope.
 */
export async function currentRequestId(): Promise<string | undefined> {
  try {
    const { headers } = await import("next/headers");
    return (await headers()).get(REQUEST_ID_HEADER) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The logger, bound to this request's id when there is a request. */
export async function requestLog(): Promise<Logger> {
  const reqId = await currentRequestId();
  return reqId ? log().child({ reqId }) : log();
}
