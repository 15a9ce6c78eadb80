"use client";

/**
 * A timestamp in the viewer's own language and time zone ("November 22, 2026 at 3:14 PM" in en-US, "22 November
 * 2026 at 15:14" in en-GB). The server renders with its own defaults; the browser re-renders it (the hydration
 * difference is expected, hence suppressHydrationWarning).
 */
export function LocalTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  return (
    <time dateTime={iso} suppressHydrationWarning title={date.toISOString()}>
      {date.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" })}
    </time>
  );
}
