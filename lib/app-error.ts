import type { ApiErrorCode } from "@/lib/http/errors";

/**
 * The one error type lib code throws for an outcome a caller must tell apart: a code from the API's list, a message
 * a person can read, and the HTTP status it maps to. The route wrapper (lib/http/route.ts) turns it into
 * `{ error: { code, message } }`; anything else thrown is logged by kind and answered with a generic 500.
 */
export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number,
    readonly headers: Record<string, string> = {},
    /** With `session_ended`: the ending reason, for clients to tell the cases apart. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = "AppError";
  }

  static notFound(message: string): AppError {
    return new AppError("not_found", message, 404);
  }

  static invalid(message: string, status: 400 | 413 | 415 = 400): AppError {
    return new AppError("invalid_request", message, status);
  }

  static forbidden(message: string): AppError {
    return new AppError("forbidden", message, 403);
  }

  /** Too many of something: `retryAfterSeconds` tells clients when to try again. */
  static rateLimited(message: string, retryAfterSeconds: number): AppError {
    return new AppError("rate_limited", message, 429, { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }

  static conflict(message: string): AppError {
    return new AppError("conflict", message, 409);
  }
}
