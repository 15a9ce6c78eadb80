import { NextResponse } from "next/server";
import { getSql } from "@/lib/db/client";

/** GET /api/health: liveness plus a database round trip; 503 when the database cannot be reached. */
export async function GET() {
  try {
    await Promise.race([
      getSql()`select 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
    ]);
    return NextResponse.json({ status: "ok", db: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch {
    return NextResponse.json({ status: "error", db: "unreachable" }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
