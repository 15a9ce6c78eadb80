import { ConfigError, getConfig } from "@/lib/config";

/** Node start-up check: a bad configuration stops the server with one message naming the variable. */
export function validateConfigOrExit(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
