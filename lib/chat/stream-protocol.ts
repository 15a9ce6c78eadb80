/**
 * How a streamed reply ends when something failed: a marker, then a message for the person.
 * - ASSISTANT_FAILED_MARKER: their message was saved; only the reply is missing (the draft is done with).
 * - TURN_FAILED_MARKER: nothing was saved; the page puts the text back in the box so nothing is lost.
 */
export const ASSISTANT_FAILED_MARKER = "\u0000assistant-error:";
export const TURN_FAILED_MARKER = "\u0000turn-error:";

export type StreamEnd = { reply: string; error: string | null; messageSaved: boolean };

/** Splits what has arrived so far into the reply and, after a marker, the failure. */
export function readStream(text: string): StreamEnd {
  for (const [marker, messageSaved] of [
    [ASSISTANT_FAILED_MARKER, true],
    [TURN_FAILED_MARKER, false],
  ] as const) {
    const at = text.indexOf(marker);
    if (at !== -1) return { reply: text.slice(0, at), error: text.slice(at + marker.length), messageSaved };
  }
  return { reply: text, error: null, messageSaved: true };
}
