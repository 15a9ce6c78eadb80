import { describe, expect, it } from "vitest";
import { nextTickAfter } from "@/lib/cleanup/schedule";

describe("the cleanup interval's next tick", () => {
  const since = 1_000_000;
  const interval = 1_800_000;

  it("is the first whole interval after the scheduler started that is still ahead", () => {
    expect(nextTickAfter(since, interval, since)).toBe(since + interval);
    expect(nextTickAfter(since, interval, since + interval - 1)).toBe(since + interval);
    expect(nextTickAfter(since, interval, since + interval)).toBe(since + 2 * interval);
    expect(nextTickAfter(since, interval, since + 5.5 * interval)).toBe(since + 6 * interval);
  });

  it("does not depend on when the cleanup last ran (a cron or an admin's run does not move the interval)", () => {
    expect(nextTickAfter(since, interval, since + 10)).toBe(since + interval);
  });
});
