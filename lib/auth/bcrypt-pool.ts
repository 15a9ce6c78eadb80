import os from "node:os";
import { Worker } from "node:worker_threads";

/**
 * bcrypt in worker threads. A cost-12 compare is ~260 ms of CPU; on the main thread a burst of sign-ins (or an
 * attacker's wrong passwords) would stall every other request. The worker is inline source so no bundler has to
 * know about it; it loads bcryptjs from the app's own node_modules.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
const bcrypt = createRequire(require("node:path").join(process.cwd(), "package.json"))("bcryptjs");
parentPort.on("message", ({ id, op, a, b }) => {
  try {
    const result = op === "hash" ? bcrypt.hashSync(a, b) : bcrypt.compareSync(a, b);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

type Task = { resolve: (value: string | boolean) => void; reject: (error: Error) => void };
type Slot = { worker: Worker; pending: Map<number, Task> };
type Reply = { id: number; result?: string | boolean; error?: string };

// One core is always left to the event loop and the database: a burst of sign-ins then slows sign-ins, not every
// other request (docs/BENCHMARKS.md, "sign-in burst").
export const POOL_SIZE = Math.min(4, Math.max(1, os.availableParallelism() - 1));

let slots: Slot[] = [];
let nextId = 1;

function spawnSlot(): Slot {
  // Plain JavaScript: the worker needs none of the parent's loader flags (`--import tsx`).
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
  const slot: Slot = { worker, pending: new Map() };
  worker.on("message", (reply: Reply) => {
    const task = slot.pending.get(reply.id);
    if (!task) return;
    slot.pending.delete(reply.id);
    if (slot.pending.size === 0) worker.unref();
    if (reply.error !== undefined) task.reject(new Error(`bcrypt worker: ${reply.error}`));
    else task.resolve(reply.result as string | boolean);
  });
  const fail = (error: Error) => {
    slots = slots.filter((s) => s !== slot);
    for (const task of slot.pending.values()) task.reject(error);
    slot.pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`bcrypt worker exited with code ${code}`)));
  // An idle pool never keeps a script or test process alive. After the listeners: adding a "message" listener
  // refs the worker's port again, which kept `npm run user -- create` from exiting.
  worker.unref();
  return slot;
}

function leastBusySlot(): Slot {
  while (slots.length < POOL_SIZE) slots.push(spawnSlot());
  return slots.reduce((best, slot) => (slot.pending.size < best.pending.size ? slot : best));
}

function run(op: "hash" | "compare", a: string, b: string | number): Promise<string | boolean> {
  const slot = leastBusySlot();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    slot.pending.set(id, { resolve, reject });
    slot.worker.ref(); // keep the process alive while a result is owed
    slot.worker.postMessage({ id, op, a, b });
  });
}

export async function bcryptHash(password: string, cost: number): Promise<string> {
  return (await run("hash", password, cost)) as string;
}

export async function bcryptCompare(password: string, hash: string): Promise<boolean> {
  return (await run("compare", password, hash)) as boolean;
}
