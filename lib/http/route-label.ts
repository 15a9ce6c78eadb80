/**
 * `/api/session/alerts/6f1d…/resolve` → `/api/session/alerts/:id/resolve`: one metrics series per route rather
 * than per id, and a request log line that names the route without the ids in its path (a device's session id
 * among them, which logs carry only as its keyed hash). Edge-safe, dependency-free.
 */
export function routeLabel(pathname: string): string {
  return pathname.replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi, "/:id").slice(0, 200);
}
