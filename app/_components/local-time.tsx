"use client";

/**
 * A timestamp in the viewer's own time zone: "November 22, 2026 at 03:14 PM". The server renders UTC; the browser
 * re-renders it locally (the hydration difference is expected, hence suppressHydrationWarning).
 */
export function LocalTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  const day = date.toLocaleDateString("en-US", { month: "long", day: "numeric", year: "numeric" });
  const time = date.toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit", hour12: true });
  return (
    <time dateTime={iso} suppressHydrationWarning title={date.toISOString()}>
      {`${day} at ${time}`}
    </time>
  );
}
