import { POOL_SIZE } from "./bcrypt-pool";

/**
 * Admission control for password checks (bcrypt is ~260 ms of CPU each). Without it, a burst of bogus sign-ins
 * queued ahead of real ones and starved them for seconds. Each address (the throttle's key) may have a bounded
 * number of checks admitted, the whole queue is bounded, excess is refused at once, and admitted checks run
 * round-robin across addresses, so one address's burst delays another's check by at most one turn.
 * Per process on purpose: it protects this instance's CPU, which no other instance shares.
 */

export type QueueLimits = { running: number; perAddress: number; total: number };

export type Ticket = {
  /** Waits for this address's turn, runs the check, and frees the place. */
  run<T>(check: () => Promise<T>): Promise<T>;
  /** Gives the place back without running (the attempt was refused before its check). */
  cancel(): void;
};

export class PasswordCheckQueue {
  private admitted = new Map<string, number>();
  private waiting = new Map<string, (() => void)[]>();
  private total = 0;
  private running = 0;
  /** When each address last got a turn (a sequence number): the longest-unserved goes next. */
  private lastServed = new Map<string, number>();
  private sequence = 0;

  constructor(private readonly limits: QueueLimits) {}

  /** Reserves a place for a check from `address`, or null when that address or the whole queue is full. */
  admit(address: string): Ticket | null {
    const mine = this.admitted.get(address) ?? 0;
    if (mine >= this.limits.perAddress || this.total >= this.limits.total) return null;
    this.admitted.set(address, mine + 1);
    this.total++;
    let settled = false;
    const release = () => {
      if (settled) return;
      settled = true;
      const left = (this.admitted.get(address) ?? 1) - 1;
      if (left === 0) {
        this.admitted.delete(address);
        this.lastServed.delete(address);
      } else this.admitted.set(address, left);
      this.total--;
    };
    return {
      run: async <T>(check: () => Promise<T>) => {
        await this.turn(address);
        try {
          return await check();
        } finally {
          this.running--;
          release();
          this.dispatch();
        }
      },
      cancel: release,
    };
  }

  /** How many checks are admitted (running or waiting), for tests and metrics. */
  get size(): number {
    return this.total;
  }

  private turn(address: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(address);
      if (queue) queue.push(resolve);
      else this.waiting.set(address, [resolve]);
      this.dispatch();
    });
  }

  /** Starts waiting checks while there are free runners, the address served longest ago first. */
  private dispatch(): void {
    while (this.running < this.limits.running && this.waiting.size > 0) {
      let address = "";
      let oldest = Infinity;
      for (const candidate of this.waiting.keys()) {
        const served = this.lastServed.get(candidate) ?? -1;
        if (served < oldest) [address, oldest] = [candidate, served];
      }
      const queue = this.waiting.get(address)!;
      const start = queue.shift()!;
      if (queue.length === 0) this.waiting.delete(address);
      this.lastServed.set(address, this.sequence++);
      this.running++;
      start();
    }
  }
}

/**
 * This instance's queue: as many checks run as there are bcrypt workers. 32 per address leaves room for an office
 * behind one NAT signing in at once; a single address still cannot fill the queue.
 */
export const passwordChecks = new PasswordCheckQueue({ running: POOL_SIZE, perAddress: 32, total: 128 });

export const BUSY = {
  message: "Too many sign-in attempts are being checked right now. Please try again in a few seconds.",
  retryAfterSeconds: 5,
} as const;
