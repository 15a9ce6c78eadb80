import { describe, expect, it } from "vitest";
import { ASSISTANT_FAILED_MARKER, readStream, TURN_FAILED_MARKER } from "@/lib/chat/stream-protocol";

describe("readStream", () => {
  it("reads a reply with no failure", () => {
    expect(readStream("Start with a licence.")).toEqual({ reply: "Start with a licence.", error: null, messageSaved: true });
  });

  it("tells a failed reply (message saved) from a failed turn (nothing saved)", () => {
    expect(readStream(`Start ${ASSISTANT_FAILED_MARKER}The assistant could not answer.`)).toEqual({
      reply: "Start ",
      error: "The assistant could not answer.",
      messageSaved: true,
    });
    expect(readStream(`${TURN_FAILED_MARKER}Your message could not be sent.`)).toEqual({
      reply: "",
      error: "Your message could not be sent.",
      messageSaved: false,
    });
  });
});
