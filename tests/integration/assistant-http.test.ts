import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssistantError, HttpAssistant } from "@/lib/chat/assistant";

type Received = { authorization?: string; body: { model: string; stream: boolean; messages: { role: string; content: string }[] } };
const received: Received[] = [];
let server: http.Server;
let baseUrl: string;

/** A local stand-in for an OpenAI-compatible server: streams a reply as server-sent events. */
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      if (req.url === "/broken/chat/completions") {
        res.writeHead(500).end("{}");
        return;
      }
      received.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
      res.writeHead(200, { "content-type": "text/event-stream" });
      const pieces = ["Start ", "with a ", "trade licence."];
      for (const piece of pieces) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {} }] })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("HttpAssistant (OpenAI-compatible)", () => {
  it("streams the reply piece by piece and sends the conversation with a system prompt", async () => {
    const assistant = new HttpAssistant({ url: `${baseUrl}/v1`, apiKey: "test-key", model: "test-model" });
    const pieces: string[] = [];
    for await (const piece of assistant.reply({
      countryName: "United Arab Emirates",
      serviceType: "company-formation",
      history: [{ role: "user", content: "Where do I start?" }],
    })) {
      pieces.push(piece);
    }
    expect(pieces).toEqual(["Start ", "with a ", "trade licence."]);
    const request = received.at(-1)!;
    expect(request.authorization).toBe("Bearer test-key");
    expect(request.body).toMatchObject({ model: "test-model", stream: true });
    expect(request.body.messages[0]).toMatchObject({ role: "system" });
    expect(request.body.messages[0]!.content).toContain("United Arab Emirates");
    expect(request.body.messages.at(-1)).toEqual({ role: "user", content: "Where do I start?" });
    expect(assistant.label).toBe("test-model");
  });

  it("turns an upstream failure into an AssistantError", async () => {
    const assistant = new HttpAssistant({ url: `${baseUrl}/broken`, model: "m" });
    const consume = async () => {
      for await (const _ of assistant.reply({ countryName: "X", serviceType: "tax", history: [] })) {
        // nothing
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(AssistantError);
    const unreachable = new HttpAssistant({ url: "http://127.0.0.1:1", model: "m" });
    await expect(
      (async () => {
        for await (const _ of unreachable.reply({ countryName: "X", serviceType: "tax", history: [] })) {
          /* nothing */
        }
      })(),
    ).rejects.toThrow(/could not be reached/);
  });
});
