import { z } from "zod";

/** What second-factor forms and WebAuthn ceremonies send, checked at the boundary before any library sees it. */

export const PASSKEY_NAME_MAX = 60;

export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{3}\s?\d{3}$/, { message: "Enter the 6-digit code your app shows." });

export const passkeyNameSchema = z
  .string()
  .trim()
  .min(1, { message: "Give the passkey a name, such as “Work laptop”." })
  .max(PASSKEY_NAME_MAX, { message: `Keep the name under ${PASSKEY_NAME_MAX} characters.` });

/** What a browser sends back, checked for shape before the library looks at it (zod at the boundary). */
export const registrationResponseSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: z.string().min(1).max(8192),
    attestationObject: z.string().min(1).max(65536),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

export const authenticationResponseSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: z.string().min(1).max(8192),
    authenticatorData: z.string().min(1).max(8192),
    signature: z.string().min(1).max(4096),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

/** A browser's answer to a ceremony, or the sentence to show when it is not one. */
export function parseCeremonyResponse<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.output<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: "Your browser sent a passkey answer we could not read. Please try again." };
}
