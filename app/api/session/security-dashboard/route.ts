import { route } from "@/lib/http/route";
import { securityDashboard } from "@/lib/monitor/dashboard";

/** GET /api/session/security-dashboard (admin). */
export const GET = route({ auth: "admin" }, async ({ db, now }) => securityDashboard(db, now));
