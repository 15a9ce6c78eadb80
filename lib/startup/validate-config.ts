import { ConfigError, getConfig } from "@/lib/config";
import { log } from "@/lib/log/logger";

/** Node start-up check: a bad configuration stops the server with one message naming the variable. */
export function validateConfigOrExit(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      log().fatal({ problems: error.problems }, error.message);
      log().flush();
      process.exit(1);
    }
    throw error;
  }
}
