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
