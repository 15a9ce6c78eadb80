import type { ApiRouteModule } from "@/lib/http/openapi/document";
import * as chatSessionidMessages from "@/app/api/chat/[sessionId]/messages/route";
import * as cronCleanup from "@/app/api/cron/cleanup/route";
import * as health from "@/app/api/health/route";
import * as metrics from "@/app/api/metrics/route";
import * as sessionAlerts from "@/app/api/session/alerts/route";
import * as sessionAlertsIdAcknowledge from "@/app/api/session/alerts/[id]/acknowledge/route";
import * as sessionAlertsIdResolve from "@/app/api/session/alerts/[id]/resolve/route";
import * as sessionCleanupSettings from "@/app/api/session/cleanup-settings/route";
import * as sessionCleanupStats from "@/app/api/session/cleanup-stats/route";
import * as sessionCleanupByCriteria from "@/app/api/session/cleanup/by-criteria/route";
import * as sessionCleanupRun from "@/app/api/session/cleanup/run/route";
import * as sessionEventsExport from "@/app/api/session/events/export/route";
import * as sessionForceCleanupUserid from "@/app/api/session/force-cleanup/[userId]/route";
import * as sessionMe from "@/app/api/session/me/route";
import * as sessionMeSessions from "@/app/api/session/me/sessions/route";
import * as sessionMeSessionsId from "@/app/api/session/me/sessions/[id]/route";
import * as sessionPolicies from "@/app/api/session/policies/route";
import * as sessionPoliciesOverridesUserid from "@/app/api/session/policies/overrides/[userId]/route";
import * as sessionSecurityDashboard from "@/app/api/session/security-dashboard/route";
import * as sessionToken from "@/app/api/session/token/route";
import * as sessionViolation from "@/app/api/session/violation/route";
import * as ssoBackchannelLogout from "@/app/api/sso/backchannel-logout/route";

/**
 * Every route handler of the JSON API with its public path (a test checks it against every route.ts under app/api).
 * The description's own route adds itself (see ./route.ts).
 */
export const API_ROUTES: ApiRouteModule[] = [
  { path: "/api/chat/{sessionId}/messages", module: chatSessionidMessages },
  { path: "/api/cron/cleanup", module: cronCleanup },
  { path: "/api/health", module: health },
  { path: "/api/metrics", module: metrics },
  { path: "/api/session/alerts", module: sessionAlerts },
  { path: "/api/session/alerts/{id}/acknowledge", module: sessionAlertsIdAcknowledge },
  { path: "/api/session/alerts/{id}/resolve", module: sessionAlertsIdResolve },
  { path: "/api/session/cleanup-settings", module: sessionCleanupSettings },
  { path: "/api/session/cleanup-stats", module: sessionCleanupStats },
  { path: "/api/session/cleanup/by-criteria", module: sessionCleanupByCriteria },
  { path: "/api/session/cleanup/run", module: sessionCleanupRun },
  { path: "/api/session/events/export", module: sessionEventsExport },
  { path: "/api/session/force-cleanup/{userId}", module: sessionForceCleanupUserid },
  { path: "/api/session/me", module: sessionMe },
  { path: "/api/session/me/sessions", module: sessionMeSessions },
  { path: "/api/session/me/sessions/{id}", module: sessionMeSessionsId },
  { path: "/api/session/policies", module: sessionPolicies },
  { path: "/api/session/policies/overrides/{userId}", module: sessionPoliciesOverridesUserid },
  { path: "/api/session/security-dashboard", module: sessionSecurityDashboard },
  { path: "/api/session/token", module: sessionToken },
  { path: "/api/session/violation", module: sessionViolation },
  { path: "/api/sso/backchannel-logout", module: ssoBackchannelLogout },
];
