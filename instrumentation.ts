/** Runs once when a server instance starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateConfigOrExit } = await import("./lib/startup/validate-config");
    validateConfigOrExit();
    const { startCleanupScheduler } = await import("./lib/cleanup/schedule");
    startCleanupScheduler();
  }
}
