import { z } from "zod";

/** Control characters other than tab, newline and carriage return (PostgreSQL refuses NUL in text outright). */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Text people type, for every schema that takes it: a string without control characters, so a stray NUL is a 400
 * naming the field instead of a database error. Tab and newlines stay allowed.
 */
export function text(message = "Remove the control characters from this text.", notText?: string) {
  return z.string(notText ? { message: notText } : undefined).refine((value) => !CONTROL_CHARACTERS.test(value), { message });
}
