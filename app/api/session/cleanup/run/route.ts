import { NextResponse } from "next/server";
import { runCleanup } from "@/lib/cleanup/run";
import { route } from "@/lib/http/route";

/** POST /api/session/cleanup/run (admin, recent sign-in): "Run cleanup now". */
export const POST = route(
  {
    auth: "admin",
    stepUp: true,
    doc: {
      summary: "Run the session cleanup now",
      response: {
        description: "The run's counts, or why it was skipped (another run holds the lock). 500 with the record if it stopped early.",
      },
    },
  },
  async () => {
    const result = await runCleanup({ trigger: "admin" });
    // A run that stopped early is reported with its record (what it did stays done).
    return NextResponse.json(result, { status: "skipped" in result || !result.error ? 200 : 500 });
  },
);
