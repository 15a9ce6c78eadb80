import { afterEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { closeDb, getSql } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

afterEach(async () => {
  delete process.env.DB_STATEMENT_TIMEOUT_MS;
  resetConfigForTests();
  await closeDb();
});

describe("bounded waits on the database", () => {
  it("cancels a statement that runs past DB_STATEMENT_TIMEOUT_MS, as an 'unavailable' failure", async () => {
    process.env.DB_STATEMENT_TIMEOUT_MS = "200";
    resetConfigForTests();
    await closeDb();
    const error = await getSql()`select pg_sleep(5)`.then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as { code?: string } | null)?.code).toBe("57014");
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The pool itself is fine afterwards.
    expect(await getSql()`select 1 as one`).toEqual([{ one: 1 }]);
  });
});
