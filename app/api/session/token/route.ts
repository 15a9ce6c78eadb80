import { NextResponse } from "next/server";
import { z } from "zod";
import { issueApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { route } from "@/lib/http/route";
import { text } from "@/lib/validation/text";

const tokenRequestSchema = z.object({
  username: text().trim().min(1, { message: "username is required" }).max(64),
  password: z.string().min(1, { message: "password is required" }).max(1024),
  otp: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: "otp must be the 6-digit code of the authenticator app" })
    .optional(),
});

/**
 * POST /api/session/token: an API session (kind `api`) for a script. The token is in this answer only; send it as
 * `Authorization: Bearer <token>`. Throttled like the sign-in form: 429 with Retry-After.
 */
export const POST = route({ auth: "public", body: tokenRequestSchema }, async ({ db, body, now, facts }) => {
  const issued = await issueApiToken(db, { ...body, ip: facts.ip, userAgent: facts.userAgent, now });
  return NextResponse.json(
    { token: issued.token, sessionId: issued.session.id, expiresAt: issued.session.expiresAt.toISOString() },
    { status: 201 },
  );
});

/** DELETE /api/session/token: revokes the token that authorises this request. */
export const DELETE = route({ auth: "user" }, async ({ db, session, now, facts }) => {
  await revokeApiToken(db, session, { ip: facts.ip, userAgent: facts.userAgent, now });
  return { revoked: true, sessionId: session.id };
});
