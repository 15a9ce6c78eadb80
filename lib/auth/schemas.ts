import { z } from "zod";
import { userRoles } from "@/lib/db/schema";
import { checkPasswordStrength } from "./password-strength";
import { MAX_PASSWORD_BYTES } from "./passwords";
import { text } from "@/lib/validation/text";

export const usernameSchema = z
  .string()
  .trim()
  .min(3, { message: "Username must be at least 3 characters." })
  .max(32, { message: "Username must be at most 32 characters." })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: "Username may contain letters, digits, dots, dashes and underscores.",
  });

export const newPasswordSchema = z
  .string()
  .min(12, { message: "Password must be at least 12 characters." })
  .refine((p) => new TextEncoder().encode(p).length <= MAX_PASSWORD_BYTES, {
    message: `Password must be at most ${MAX_PASSWORD_BYTES} bytes.`,
  })
  .superRefine((password, ctx) => {
    const verdict = checkPasswordStrength(password);
    if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.message });
  });

export const roleSchema = z.enum(userRoles, { message: "Role must be user or admin." });

/** What the sign-in form sends. Lengths are capped so nobody can make us hash a megabyte. */
export const signInSchema = z.object({
  username: text().trim().min(1, { message: "Enter your username." }).max(64, { message: "Username is too long." }),
  password: z.string().min(1, { message: "Enter your password." }).max(1024, { message: "Password is too long." }),
  rememberMe: z
    .enum(["on", "true", "false"])
    .optional()
    .transform((v) => v === "on" || v === "true"),
  next: z.string().max(2048).optional(),
});
export type SignInInput = z.output<typeof signInSchema>;

/** The password-change form: the current password too, so a borrowed session cannot take the account over. */
export const changePasswordSchema = z
  .object({
    current: z.string().min(1, { message: "Enter your current password." }).max(1024, { message: "Password is too long." }),
    password: newPasswordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords do not match." });

/** The re-enter-password (step-up) form. */
export const stepUpSchema = z.object({
  password: z.string().min(1, { message: "Enter your password." }).max(1024, { message: "Password is too long." }),
  next: z.string().max(2048).optional(),
});
