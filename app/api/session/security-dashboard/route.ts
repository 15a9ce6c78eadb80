import { route } from "@/lib/http/route";
import { securityDashboard } from "@/lib/monitor/dashboard";

/** GET /api/session/security-dashboard (admin). */
export const GET = route(
  {
    auth: "admin",
    doc: {
      summary: "Security dashboard",
      response: {
        description: "The last 24 hours: events by type and hour, open alerts by severity, top users and addresses, flagged sessions.",
      },
    },
  },
  async ({ db, now }) => securityDashboard(db, now),
);
