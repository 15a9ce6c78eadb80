"use client";

import { useEffect, useState } from "react";

/** How long before a session ends the person is told. */
const WARN_BEFORE_MS = 2 * 60_000;
/** setTimeout's longest delay (about 24.8 days): a deadline further away is not scheduled at all. */
const MAX_DELAY_MS = 2_147_483_647;

export type SessionDeadlines = { idleAt: number; hardAt: number; serverNow: number };
type Phase = "quiet" | "idle" | "hard" | "ended";

/**
 * A non-blocking notice two minutes before the session ends: "Stay signed in" before the idle limit (any request is
 * activity), "Sign in again" before the hard limit (nothing extends that). Times are the server's: the browser's
 * clock may be off, so only the difference between the two is used. Never checks the session on its own — a
 * check would itself be activity and defeat the idle limit.
 */
export function TimeoutNotice({ initial, signInHref }: { initial: SessionDeadlines; signInHref: string }) {
  const [deadlines, setDeadlines] = useState(initial);
  const [phase, setPhase] = useState<Phase>("quiet");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const skew = deadlines.serverNow - Date.now();
    const end = Math.min(deadlines.idleAt, deadlines.hardAt);
    const warning: Phase = deadlines.hardAt <= deadlines.idleAt ? "hard" : "idle";
    const timers: number[] = [];
    const at = (serverTime: number, next: Phase) => {
      const delay = serverTime - (Date.now() + skew);
      if (delay <= MAX_DELAY_MS) timers.push(window.setTimeout(() => setPhase(next), Math.max(0, delay)));
    };
    at(end - WARN_BEFORE_MS, warning);
    at(end, "ended");
    return () => timers.forEach((timer) => window.clearTimeout(timer));
  }, [deadlines]);

  async function staySignedIn() {
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch("/api/session/me", { cache: "no-store" });
      if (!response.ok) {
        setPhase("ended");
        return;
      }
      const { deadlines: next } = (await response.json()) as { deadlines: { idleAt: string; hardAt: string; now: string } };
      setDeadlines({ idleAt: Date.parse(next.idleAt), hardAt: Date.parse(next.hardAt), serverNow: Date.parse(next.now) });
      setPhase("quiet");
    } catch {
      setProblem("We could not reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div role="status" aria-live="polite" className="contents">
      {phase === "quiet" ? null : (
        <div
          className="fixed inset-x-3 bottom-3 z-50 mx-auto max-w-lg rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 shadow-lg"
          data-testid="timeout-notice"
        >
          {phase === "idle" ? (
            <>
              <p>You will be signed out in 2 minutes because of inactivity.</p>
              {problem ? <p className="mt-1 text-red-800">{problem}</p> : null}
              <button
                type="button"
                className="btn btn-primary mt-3 px-3 py-1.5 text-sm"
                disabled={busy}
                onClick={() => void staySignedIn()}
              >
                {busy ? "Staying signed in…" : "Stay signed in"}
              </button>
            </>
          ) : phase === "hard" ? (
            <>
              <p>This session reaches its time limit in 2 minutes. Sign in again to carry on without interruption.</p>
              <div className="mt-3 flex gap-2">
                <a href={signInHref} className="btn btn-primary px-3 py-1.5 text-sm">
                  Sign in again
                </a>
                <button type="button" className="btn btn-secondary px-3 py-1.5 text-sm" onClick={() => setPhase("quiet")}>
                  Not now
                </button>
              </div>
            </>
          ) : (
            <>
              <p>For your security, this session has ended.</p>
              <a href={signInHref} className="btn btn-primary mt-3 inline-block px-3 py-1.5 text-sm">
                Sign in again
              </a>
            </>
          )}
        </div>
      )}
    </div>
  );
}
