import { z } from "zod";
import { accessTokenScopes } from "@/lib/db/schema";
import { ACCESS_TOKEN_EXPIRY_CHOICES } from "@/lib/policies/access-token";

/** The personal-access-token form: a name to recognise it by, a lifetime (days) and a scope. */
export const createAccessTokenSchema = z.object({
  name: z
    .string({ message: "Give the token a name." })
    .trim()
    .min(1, "Give the token a name, such as the script that will use it.")
    .max(60, "Keep the name under 60 characters."),
  days: z.coerce
    .number({ message: "Choose how long the token lasts." })
    .refine((days) => (ACCESS_TOKEN_EXPIRY_CHOICES as readonly number[]).includes(days), "Choose 7, 30, 60 or 90 days."),
  scope: z.enum(accessTokenScopes, { message: "Choose read-only or read and write." }),
});

export const SCOPE_WORDS: Record<(typeof accessTokenScopes)[number], string> = {
  read: "Read-only",
  read_write: "Read and write",
};
