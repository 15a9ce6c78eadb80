import { z } from "zod";
import { route } from "@/lib/http/route";
import { alertJson, usernamesOf } from "@/lib/monitor/alert-json";
import { listAlerts } from "@/lib/monitor/alerts";

const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const querySchema = z.object({
  severity: z.enum(["low", "medium", "high", "critical"]).optional(),
  acknowledged: flag.optional(),
  resolved: flag.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** GET /api/session/alerts?severity=&acknowledged=&resolved=&limit= (admin). */
export const GET = route(
  {
    auth: "admin",
    query: querySchema,
    doc: { summary: "Security alerts", response: { description: "Alerts, newest first, filtered by the query." } },
  },
  async ({ db, query }) => {
    const alerts = await listAlerts(db, query);
    const usernames = await usernamesOf(db, alerts);
    return { alerts: alerts.map((alert) => alertJson(alert, usernames)) };
  },
);
