import { NextResponse } from "next/server";
import { databaseReachable } from "@/lib/db/health";
import { route } from "@/lib/http/route";

/** GET /api/health: liveness plus a database round trip; 503 when the database cannot be reached within 3 s. */
export const GET = route({ auth: "public" }, async () =>
  (await databaseReachable(3000)) ? { status: "ok", db: "ok" } : NextResponse.json({ status: "error", db: "unreachable" }, { status: 503 }),
);
