import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { cleanupByCriteria } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { parseJsonBody } from "@/lib/http/json-body";
import { authenticateAdminApi } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

const criteriaSchema = z
  .object({
    authMethod: z.string().trim().min(1).max(50).optional(),
    createdBefore: z.iso.datetime({ offset: true, message: "createdBefore must be an ISO 8601 date-time" }).optional(),
    inactiveForHours: z.number().int().min(1).max(24 * 366).optional(),
  })
  .strict()
  .refine((c) => c.authMethod !== undefined || c.createdBefore !== undefined || c.inactiveForHours !== undefined, {
    message: "Give at least one criterion: authMethod, createdBefore or inactiveForHours.",
  });

/** POST /api/session/cleanup/by-criteria (admin, recent sign-in): the seed's cleanup_sessions_by_criteria. */
export async function POST(request: NextRequest) {
  const auth = await authenticateAdminApi({ stepUp: true });
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(request, criteriaSchema);
  if (!body.ok) return body.response;
  const { now } = await getRequestContext();
  // The administrator's own session is never swept up by their own criteria.
  const criteria = { ...body.data, createdBefore: body.data.createdBefore ? new Date(body.data.createdBefore) : undefined, exceptSessionId: auth.session.id };
  const cleanedSessions = await cleanupByCriteria(adhocCleanupContext("admin", now), criteria);
  return NextResponse.json({ cleanedSessions, criteria: body.data });
}
