import { NextResponse } from "next/server";
import { z } from "zod";
import { databaseReachable } from "@/lib/db/health";
import { route } from "@/lib/http/route";

/** GET /api/health: liveness plus a database round trip; 503 when the database cannot be reached within 3 s. */
export const GET = route(
  {
    auth: "public",
    doc: {
      summary: "Liveness and database reachability",
      response: {
        description: "Up, and the database answered (503 with `db: unreachable` when it did not within 3 s).",
        schema: z.object({ status: z.enum(["ok", "error"]), db: z.enum(["ok", "unreachable"]) }),
        example: { status: "ok", db: "ok" },
      },
    },
  },
  async () =>
    (await databaseReachable(3000))
      ? { status: "ok", db: "ok" }
      : NextResponse.json({ status: "error", db: "unreachable" }, { status: 503 }),
);
