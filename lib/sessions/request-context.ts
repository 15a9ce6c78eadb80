import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { requestTime } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import type { RequestFacts } from "@/lib/policies/types";
import { requestFactsFrom } from "./facts";

/** This request's time and client facts (IP via trusted hops, user agent, country), read once per request. */
export const getRequestContext = cache(async (): Promise<{ now: Date; facts: RequestFacts }> => {
  const requestHeaders = await headers();
  const config = getConfig();
  return { now: requestTime(requestHeaders, config.testClock), facts: requestFactsFrom(requestHeaders, config) };
});
