import "server-only";
import { sealData, unsealData } from "iron-session";
import { cookies } from "next/headers";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { cookieSettings } from "@/lib/sessions/cookie";

/**
 * The state of one SSO round trip, sealed into a short-lived cookie in the browser that started it: the PKCE
 * verifier, `state` and `nonce` never leave the server in clear, and a callback in another browser (or a second
 * time: the cookie is cleared on first use) has nothing to match.
 */

export const SSO_FLOW_SECONDS = 10 * 60;

const flowSchema = z.object({
  state: z.string().min(16).max(200),
  nonce: z.string().min(16).max(200),
  verifier: z.string().min(43).max(200),
  /** `sign_in`; `link` the provider account to the signed-in user; `reauth`: confirm who they are (step-up). */
  intent: z.enum(["sign_in", "link", "reauth"]),
  next: z.string().max(2048),
  rememberMe: z.boolean(),
  /** For `link` and `reauth`: the session that asked, which must still be the one calling back. */
  sessionId: z.uuid().nullable(),
  /** When the person was sent with `prompt=login` (a forced re-authentication). */
  forced: z.boolean(),
});
export type SsoFlow = z.infer<typeof flowSchema>;

function cookieName(): string {
  const settings = cookieSettings(getConfig());
  return `${settings.name}_sso`;
}

export async function writeFlowCookie(flow: SsoFlow): Promise<void> {
  const settings = cookieSettings(getConfig());
  const sealed = await sealData(flow, { password: settings.sealPasswords, ttl: SSO_FLOW_SECONDS });
  (await cookies()).set(cookieName(), sealed, {
    httpOnly: true,
    secure: settings.secure,
    // Lax: the provider sends the browser back with a top-level GET, which carries it.
    sameSite: "lax",
    path: "/",
    maxAge: SSO_FLOW_SECONDS,
  });
}

/** The flow this browser started (and clears it: a callback is answered once), or null when none is valid. */
export async function takeFlowCookie(): Promise<SsoFlow | null> {
  const store = await cookies();
  const sealed = store.get(cookieName())?.value;
  if (!sealed) return null;
  const settings = cookieSettings(getConfig());
  store.set(cookieName(), "", { httpOnly: true, secure: settings.secure, sameSite: "lax", path: "/", maxAge: 0 });
  try {
    const raw = await unsealData<unknown>(sealed, { password: settings.unsealPasswords, ttl: SSO_FLOW_SECONDS });
    const parsed = flowSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
