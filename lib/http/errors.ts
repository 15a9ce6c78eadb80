import { NextResponse } from "next/server";

export const apiErrorCodes = [
  "unauthorized",
  "forbidden",
  "insufficient_scope",
  "not_found",
  "invalid_request",
  "rate_limited",
  "conflict",
  "server_error",
  "misconfigured",
  "unavailable",
  "session_ended",
  "reauth_required",
  "mfa_required",
  "misdirected",
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/**
 * The API's error shape, `{ "error": { "code", "message", "reason"? } }`; `reason` names why a session ended (one of
 * the closed list of ending reasons) with `session_ended`. Edge-safe: middleware answers with it too.
 */
export function jsonError(status: number, code: ApiErrorCode, message: string, headers?: HeadersInit, reason?: string): NextResponse {
  return NextResponse.json(
    { error: { code, message, ...(reason ? { reason } : {}) } },
    { status, headers: { "cache-control": "no-store", ...headers } },
  );
}
