import { z } from "zod";
import { cleanupByCriteria } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { route } from "@/lib/http/route";
import { text } from "@/lib/validation/text";

const criteriaSchema = z
  .object({
    authMethod: text().trim().min(1).max(50).optional(),
    createdBefore: z.iso.datetime({ offset: true, message: "createdBefore must be an ISO 8601 date-time" }).optional(),
    inactiveForHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .optional(),
  })
  .strict()
  .refine((c) => c.authMethod !== undefined || c.createdBefore !== undefined || c.inactiveForHours !== undefined, {
    message: "Give at least one criterion: authMethod, createdBefore or inactiveForHours.",
  });

/** POST /api/session/cleanup/by-criteria (admin, recent sign-in): ends live sessions matching every criterion given. */
export const POST = route(
  {
    auth: "admin",
    stepUp: true,
    body: criteriaSchema,
    doc: {
      summary: "End sessions matching criteria",
      description: "Ends live sessions matching every criterion given (never the caller's own).",
      requestExample: { inactiveForHours: 72 },
      response: { description: "How many sessions ended, and the criteria applied." },
    },
  },
  async ({ session, body, now }) => {
    // The administrator's own session is never swept up by their own criteria.
    const criteria = { ...body, createdBefore: body.createdBefore ? new Date(body.createdBefore) : undefined, exceptSessionId: session.id };
    const cleanedSessions = await cleanupByCriteria(adhocCleanupContext("admin", now), criteria);
    return { cleanedSessions, criteria: body };
  },
);
