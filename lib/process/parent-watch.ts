/**
 * Calls `onOrphaned` once when this process's parent dies (the process is re-parented), so a launcher or server
 * whose parent was killed stops in order instead of running on as an orphan holding its port.
 */
export function watchParent(onOrphaned: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
