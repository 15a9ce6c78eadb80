import { describe, expect, it } from "vitest";
import { PasswordCheckQueue } from "@/lib/auth/password-check-queue";

/** A check that finishes when the test says so, recording when it started. */
function controllable(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { check: () => (log.push(name), done), finish };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("PasswordCheckQueue", () => {
  it("refuses at once beyond the per-address and total bounds, and frees places as checks end", async () => {
    const queue = new PasswordCheckQueue({ running: 1, perAddress: 2, total: 3 });
    const a1 = queue.admit("a");
    const a2 = queue.admit("a");
    expect(a1).not.toBeNull();
    expect(a2).not.toBeNull();
    expect(queue.admit("a")).toBeNull();
    expect(queue.admit("b")).not.toBeNull();
    expect(queue.admit("c")).toBeNull(); // total reached
    a2!.cancel();
    a2!.cancel(); // idempotent
    expect(queue.size).toBe(2);
    expect(queue.admit("c")).not.toBeNull();
    await a1!.run(async () => undefined);
    expect(queue.size).toBe(2);
  });

  it("takes addresses in turn, so a burst from one address delays another's check by one turn at most", async () => {
    const queue = new PasswordCheckQueue({ running: 1, perAddress: 10, total: 100 });
    const log: string[] = [];
    const attacker = Array.from({ length: 5 }, (_, i) => controllable(log, `attacker-${i}`));
    const runs = attacker.map((job) => queue.admit("attacker")!.run(job.check));
    const owner = controllable(log, "owner");
    const ownerRun = queue.admit("owner")!.run(owner.check);
    await flush();
    expect(log).toEqual(["attacker-0"]);
    attacker[0]!.finish();
    await flush();
    // The owner's check is next, ahead of the attacker's four waiting ones.
    expect(log).toEqual(["attacker-0", "owner"]);
    owner.finish();
    await ownerRun;
    for (const job of attacker.slice(1)) job.finish();
    await Promise.all(runs);
    expect(log).toEqual(["attacker-0", "owner", "attacker-1", "attacker-2", "attacker-3", "attacker-4"]);
    expect(queue.size).toBe(0);
  });

  it("frees the place when a check fails", async () => {
    const queue = new PasswordCheckQueue({ running: 1, perAddress: 1, total: 1 });
    await expect(queue.admit("a")!.run(() => Promise.reject(new Error("worker died")))).rejects.toThrow("worker died");
    expect(queue.admit("a")).not.toBeNull();
  });
});
