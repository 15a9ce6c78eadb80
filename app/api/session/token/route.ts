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

const issuedSchema = z.object({
  token: z.string().describe("`gbt_<session id>.<secret>`: shown only here; send as `Authorization: Bearer <token>`."),
  sessionId: z.uuid(),
  expiresAt: z.iso.datetime().describe("One hour after issue: the api policy never extends it."),
});
const revokedSchema = z.object({ revoked: z.literal(true), sessionId: z.uuid() });

/**
 * POST /api/session/token: an API session (kind `api`) for a script. The token is in this answer only; send it as
 * `Authorization: Bearer <token>`. Throttled like the sign-in form: 429 with Retry-After.
 */
export const POST = route(
  {
    auth: "public",
    body: tokenRequestSchema,
    doc: {
      summary: "Get an API token",
      description:
        "Signs in for a script: a new `api` session (1 hour, 30 minutes idle, never extended, 10 per account, the oldest " +
        "ended). Accounts with a second factor send the authenticator app's code as `otp`.",
      requestExample: { username: "demo", password: "demo-password-123" },
      response: {
        status: 201,
        description: "The token, shown this once.",
        schema: issuedSchema,
        example: {
          token: "gbt_3f0c5d3e-8a51-4c1e-9f57-2f8e0a9b7c11.q7yR2vXw9nL0cT4mB8sK1dF6hJ3pZ5aE0uG2iO7yW4c",
          sessionId: "3f0c5d3e-8a51-4c1e-9f57-2f8e0a9b7c11",
          expiresAt: "2026-12-03T11:00:00.000Z",
        },
      },
      errors: {
        401: "`unauthorized`: wrong username or password (one answer for both), or a wrong code; `mfa_required`: send `otp`.",
        403: "`mfa_required`: the account must set up a second factor in the browser first.",
        429: "`rate_limited`: too many failed attempts; wait `Retry-After` seconds.",
      },
    },
  },
  async ({ db, body, now, facts }) => {
    const issued = await issueApiToken(db, { ...body, ip: facts.ip, userAgent: facts.userAgent, now });
    return NextResponse.json(
      {
        token: issued.token,
        sessionId: issued.session.id,
        expiresAt: issued.session.expiresAt.toISOString(),
      } satisfies z.input<typeof issuedSchema>,
      { status: 201 },
    );
  },
);

/** DELETE /api/session/token: revokes the token that authorises this request. */
export const DELETE = route(
  {
    auth: "user",
    doc: {
      summary: "Revoke the presenting token",
      description: "Ends the API session (or personal access token) sent as the bearer token, at once.",
      response: {
        description: "Revoked.",
        schema: revokedSchema,
        example: { revoked: true, sessionId: "3f0c5d3e-8a51-4c1e-9f57-2f8e0a9b7c11" },
      },
      errors: { 400: "`invalid_request`: the request was made with a browser session, not a token (sign out with POST /logout)." },
    },
  },
  async ({ db, session, now, facts }) => {
    await revokeApiToken(db, session, { ip: facts.ip, userAgent: facts.userAgent, now });
    return { revoked: true, sessionId: session.id } satisfies z.input<typeof revokedSchema>;
  },
);
