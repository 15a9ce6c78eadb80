/** The streamed reply ends with this marker and a message when the assistant failed after the person's text was saved. */
export const ASSISTANT_FAILED_MARKER = "\u0000assistant-error:";
