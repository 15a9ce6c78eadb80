import { NextResponse } from "next/server";

export type ApiErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "invalid_request"
  | "rate_limited"
  | "conflict"
  | "server_error"
  | "misconfigured"
  | "unavailable"
  | "session_ended"
  | "reauth_required"
  | "misdirected";

/** The API's error shape, `{ "error": { "code", "message" } }`. Edge-safe: middleware answers with it too. */
export function jsonError(status: number, code: ApiErrorCode, message: string, headers?: HeadersInit): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });
}
