"use client";

import useSWR from "swr";
import type { Device } from "@/lib/sessions/devices";
import { fetcher } from "./fetcher";

export function useDevices() {
  const { data, error, isLoading, mutate } = useSWR<{ sessions: Device[] }>("/api/session/me/sessions", fetcher, {
    refreshInterval: 30_000,
  });
  return { devices: data?.sessions, error: error as Error | undefined, isLoading, mutate };
}
