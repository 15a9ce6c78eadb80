import { collectDefaultMetrics, Counter, Registry } from "prom-client";

/**
 * Prometheus metrics for operators (`/api/metrics`, behind METRICS_SECRET). One registry per process, kept on
 * globalThis: Next.js may load this module once per bundle (pages, route handlers), and every bundle must count
 * into the same numbers. Labels are closed lists or normalised paths, never ids or user data.
 */

type Metrics = {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  sessionChecks: Counter<"outcome">;
  signIns: Counter<"method" | "outcome">;
  cleanupRows: Counter<"category">;
  alerts: Counter<"severity">;
};

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "growbal_" });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    requests: counter("growbal_http_requests_total", "JSON API requests by route (ids replaced), method and status.", [
      "route",
      "method",
      "status",
    ]),
    sessionChecks: counter("growbal_session_checks_total", "Session checks by the data access layer, by outcome.", ["outcome"]),
    signIns: counter("growbal_sign_ins_total", "Sign-in attempts by method and outcome.", ["method", "outcome"]),
    cleanupRows: counter("growbal_cleanup_rows_total", "Sessions and rows the cleanup ended or purged, by category.", ["category"]),
    alerts: counter("growbal_alerts_raised_total", "Security alerts raised (not re-raised), by severity.", ["severity"]),
  };
}

const holder = globalThis as typeof globalThis & { __growbalMetrics?: Metrics };

export function metrics(): Metrics {
  holder.__growbalMetrics ??= createMetrics();
  return holder.__growbalMetrics;
}
