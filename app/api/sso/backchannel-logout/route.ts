import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { route } from "@/lib/http/route";
import { backchannelLogout, LogoutTokenRejected } from "@/lib/sso/backchannel";
import { SSO_FAILURE_MESSAGES, SsoFailure } from "@/lib/sso/failures";
import { requestLog } from "@/lib/log/request-log";

const formSchema = z.object({ logout_token: z.string().min(20).max(8192) });

/**
 * POST /api/sso/backchannel-logout: the OpenID provider's back-channel logout (form field `logout_token`). Ends the
 * sessions the token names at once; 400 for a token that does not verify.
 */
export const POST = route(
  {
    auth: "public",
    doc: {
      summary: "Back-channel logout from the OpenID provider",
      description:
        "Called by the SSO provider (application/x-www-form-urlencoded, field `logout_token`, a signed logout token). " +
        "Ends the sessions it names (`sid`, else every session of `sub`) with reason `idp_logout`.",
      response: { description: "Done (also when no session matched)." },
      errors: { 400: "`invalid_request`: no logout token, or one that does not verify." },
    },
  },
  async ({ request, db, now }) => {
    const type = request.headers.get("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) throw AppError.invalid("Send the logout token as a form.", 415);
    const form = formSchema.safeParse(Object.fromEntries(new URLSearchParams((await request.text()).slice(0, 16_384))));
    if (!form.success) throw AppError.invalid("logout_token is required.");
    try {
      const ended = await backchannelLogout(db, form.data.logout_token, now);
      return NextResponse.json({ ended });
    } catch (error) {
      if (error instanceof SsoFailure) throw new AppError("unavailable", SSO_FAILURE_MESSAGES[error.reason], 503);
      if (error instanceof LogoutTokenRejected) {
        (await requestLog()).warn({ why: error.why }, "back-channel logout refused");
        throw AppError.invalid("The logout token was not accepted.");
      }
      throw error;
    }
  },
);
