"use client";

import useSWR from "swr";
import type { cleanupStatistics } from "@/lib/cleanup/stats";
import { fetcher } from "./fetcher";

export type CleanupStats = Awaited<ReturnType<typeof cleanupStatistics>>;

export function useCleanupStats() {
  const { data, error, isLoading, mutate } = useSWR<CleanupStats>("/api/session/cleanup-stats", fetcher, { refreshInterval: 10_000 });
  return { stats: data, error: error as Error | undefined, isLoading, mutate };
}
