import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { describeError } from "@/lib/log/describe-error";
import { requestLog } from "@/lib/log/request-log";

/**
 * The one shape every form's server action returns (useActionState), and the one way to read a form: parse the
 * FormData with the action's zod schema, giving field errors beside their fields and echoing what was typed back,
 * so a failed attempt loses nothing — except secrets, which are never sent back to the page.
 */
export type ActionState<F extends string = string, R = never> = {
  ok?: boolean;
  /** What a successful action hands back to show once (e.g. new recovery codes); never echoed input. */
  result?: R;
  /** The form's overall outcome, for its live region. */
  message?: string;
  fieldErrors?: Partial<Record<F, string[]>>;
  /** What was typed, echoed back (never passwords). */
  values?: Partial<Record<F, string>>;
};

/** Fields never echoed back to the page. */
const SECRET_FIELDS = new Set(["password", "current", "confirm"]);

type FieldsOf<S extends z.ZodObject> = Extract<keyof S["shape"], string>;

export type ParsedForm<S extends z.ZodObject> =
  { ok: true; data: z.output<S>; values: Partial<Record<FieldsOf<S>, string>> } | { ok: false; state: ActionState<FieldsOf<S>> };

export function parseForm<S extends z.ZodObject>(formData: FormData, schema: S): ParsedForm<S> {
  const raw: Record<string, string | undefined> = {};
  const values: Partial<Record<FieldsOf<S>, string>> = {};
  for (const name of Object.keys(schema.shape) as FieldsOf<S>[]) {
    const value = formData.get(name);
    raw[name] = typeof value === "string" ? value : undefined;
    if (typeof value === "string" && !SECRET_FIELDS.has(name)) values[name] = value.slice(0, 2000);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const flat = z.flattenError(parsed.error);
  return {
    ok: false,
    state: {
      fieldErrors: flat.fieldErrors as Partial<Record<FieldsOf<S>, string[]>>,
      message: flat.formErrors.length > 0 ? flat.formErrors.join(" ") : undefined,
      values,
    },
  };
}

/**
 * What a form says when its work failed: an AppError below 500 is an outcome meant for the person (a quota, a
 * conflict) and its message is shown; anything else is logged by kind only (never its message, which may hold SQL
 * and parameters) and the person gets a plain sentence. What they typed is kept either way.
 */
export async function failedAction<F extends string>(
  label: string,
  error: unknown,
  message: string,
  values?: Partial<Record<F, string>>,
): Promise<ActionState<F>> {
  if (error instanceof AppError && error.status < 500) return { message: error.message, values };
  (await requestLog()).error({ action: label, err: describeError(error) }, "action failed");
  return { message, values };
}
