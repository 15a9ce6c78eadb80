import { cleanupStatistics } from "@/lib/cleanup/stats";
import { route } from "@/lib/http/route";

/** GET /api/session/cleanup-stats (admin): status, interval, category switches, totals, last run, next due. */
export const GET = route(
  {
    auth: "admin",
    doc: {
      summary: "Session cleanup statistics",
      response: { description: "Status, interval, category switches, totals, the last run and when the next is due." },
    },
  },
  async ({ db, now }) => cleanupStatistics(db, now),
);
