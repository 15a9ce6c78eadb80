import type { Instrumentation } from "next";

/** Runs once when a server instance starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installLogRedaction } = await import("./lib/log/redact");
    installLogRedaction();
    const { validateConfigOrExit } = await import("./lib/startup/validate-config");
    validateConfigOrExit();
    const { startCleanupScheduler } = await import("./lib/cleanup/schedule");
    startCleanupScheduler();
    // The dummy hash for unknown usernames is ready before the first sign-in, so that one is not slower.
    const { warmDummyHash } = await import("./lib/auth/passwords");
    warmDummyHash();
  }
}

/**
 * An error that escaped a page, action or route: one log line with the request id and the digest the error page
 * shows as its reference, so a person's report finds it. The error's kind only, never its message (SQL, params).
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("./lib/log/logger");
  const { describeError } = await import("./lib/log/describe-error");
  const { REQUEST_ID_HEADER } = await import("./lib/log/request-id");
  const { routeLabel } = await import("./lib/http/route-label");
  const header = request.headers[REQUEST_ID_HEADER];
  const digest = (error as { digest?: unknown }).digest;
  log().error(
    {
      reqId: typeof header === "string" ? header : undefined,
      digest: typeof digest === "string" ? digest : undefined,
      method: request.method,
      path: routeLabel(request.path.split("?")[0] ?? "/"),
      routeType: context.routeType,
      route: context.routePath,
      err: describeError(error),
    },
    "request error",
  );
};
