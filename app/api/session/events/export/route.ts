import { z } from "zod";
import { route } from "@/lib/http/route";
import { eventFilterSchema, exportEvents } from "@/lib/monitor/event-log";

const querySchema = eventFilterSchema.and(z.object({ format: z.enum(["csv", "json"], { message: "format must be csv or json" }) }));

/**
 * GET /api/session/events/export?format=csv|json&user=&type=&ip=&from=&to= (admin): the audit log as a file,
 * streamed a page at a time and cut at 50,000 events (the file says so).
 */
export const GET = route(
  {
    auth: "admin",
    query: querySchema,
    doc: {
      summary: "Export the audit log",
      description: "The security events matching the filter as a CSV or JSON file, streamed, cut at 50,000 events (the file says so).",
      response: { description: "The file (`text/csv` when format=csv).", contentType: "application/json" },
    },
  },
  async ({ db, query, now }) => {
    const { format, ...filter } = query;
    const name = `growbal-events-${now.toISOString().slice(0, 19).replaceAll(":", "")}Z.${format}`;
    return new Response(exportEvents(db, filter, format), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "x-content-type-options": "nosniff",
      },
    });
  },
);
