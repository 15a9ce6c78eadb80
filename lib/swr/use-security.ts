"use client";

import useSWR from "swr";
import type { AlertJson } from "@/lib/monitor/alert-json";
import type { SecurityDashboard } from "@/lib/monitor/dashboard";
import { fetcher } from "./fetcher";

export function useSecurityDashboard() {
  const { data, error, isLoading, mutate } = useSWR<SecurityDashboard>("/api/session/security-dashboard", fetcher, {
    refreshInterval: 10_000,
  });
  return { dashboard: data, error: error as Error | undefined, isLoading, mutate };
}

export function useAlerts(filter: { severity: string; status: "open" | "acknowledged" | "resolved" | "all" }) {
  const params = new URLSearchParams({ limit: "50" });
  if (filter.severity) params.set("severity", filter.severity);
  if (filter.status === "open") {
    params.set("resolved", "false");
    params.set("acknowledged", "false");
  } else if (filter.status === "acknowledged") {
    params.set("acknowledged", "true");
    params.set("resolved", "false");
  } else if (filter.status === "resolved") params.set("resolved", "true");
  const { data, error, isLoading, mutate } = useSWR<{ alerts: AlertJson[] }>(`/api/session/alerts?${params}`, fetcher, {
    refreshInterval: 10_000,
  });
  return { alerts: data?.alerts, error: error as Error | undefined, isLoading, mutate };
}
