/**
 * What a stopping server must finish before it exits, in order: first the work it started itself (the cleanup
 * interval and a run in progress), then its connections (the database pool). scripts/serve.ts runs them once no
 * request is in flight any more.
 *
 * Kept on globalThis: the server script and the Next.js bundle load their own copies of this module, and a dev
 * reload registers again under the same name instead of adding a second hook.
 */
export type ShutdownPhase = "work" | "connections";
type Hooks = Map<string, { phase: ShutdownPhase; run: () => Promise<void> | void }>;

const KEY = Symbol.for("growbal.shutdownHooks");
const store = globalThis as unknown as { [KEY]?: Hooks };

function hooks(): Hooks {
  store[KEY] ??= new Map();
  return store[KEY];
}

export function onShutdown(name: string, phase: ShutdownPhase, run: () => Promise<void> | void): void {
  hooks().set(name, { phase, run });
}

/** Runs every hook (work first, then connections), each bounded so a stuck one cannot keep the process alive. */
export async function runShutdownHooks(timeoutMs = 5_000): Promise<string[]> {
  const failed: string[] = [];
  for (const phase of ["work", "connections"] as const) {
    const due = [...hooks()].filter(([, hook]) => hook.phase === phase);
    await Promise.all(
      due.map(async ([name, hook]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
        });
        try {
          await Promise.race([Promise.resolve().then(hook.run), timeout]);
        } catch {
          failed.push(name);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
  hooks().clear();
  return failed;
}
