import { getConfig } from "@/lib/config";
import { GUIDES } from "./guide";
import { serviceLabel, type ServiceType } from "./services";

/** The Growbal assistant: one interface, an offline implementation (default) and an OpenAI-compatible one. */

export type AssistantMessage = { role: "user" | "assistant" | "system"; content: string };

export type AssistantContext = {
  countryName: string;
  serviceType: string;
  /** The conversation so far, oldest first, ending with the person's new message. */
  history: AssistantMessage[];
};

export interface Assistant {
  /** Shown to people next to replies ("Offline assistant", or the model's name). */
  readonly label: string;
  /** The reply as it is produced, in pieces. */
  reply(context: AssistantContext, signal?: AbortSignal): AsyncIterable<string>;
}

export class AssistantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssistantError";
  }
}

/** Answers from the bundled guide: deterministic, useful next steps, no network. */
export class OfflineAssistant implements Assistant {
  readonly label = "Offline assistant";

  async *reply(context: AssistantContext): AsyncIterable<string> {
    const text = this.compose(context);
    // Word by word, so the page shows it the same way as a streamed model reply.
    for (const piece of text.match(/\S+\s*/g) ?? [text]) yield piece;
  }

  compose({ countryName, serviceType, history }: AssistantContext): string {
    const guide = GUIDES[serviceType as ServiceType];
    const service = serviceLabel(serviceType);
    if (!guide) return `I can help with ${service} in ${countryName}. What would you like to know first?`;
    const question =
      [...history]
        .reverse()
        .find((m) => m.role === "user")
        ?.content.toLowerCase() ?? "";
    const earlierReplies = history.filter((m) => m.role === "assistant").length;
    const topic = guide.topics.find((t) => t.keywords.some((k) => question.includes(k)));

    const lines: string[] = [];
    if (topic) {
      lines.push(`On ${service.toLowerCase()} in ${countryName}: ${topic.answer}`);
    } else if (earlierReplies === 0) {
      lines.push(`Here is how people usually get started with ${service.toLowerCase()} in ${countryName}:`);
      guide.steps.forEach((step, i) => lines.push(`${i + 1}. ${step}`));
    } else {
      const next = guide.steps[earlierReplies % guide.steps.length]!;
      lines.push(`A good next step for ${service.toLowerCase()} in ${countryName}: ${next}`);
    }
    // Free zones matter to setting up a company, not to every question.
    const where = serviceType === "company-formation" ? "differ by city and free zone" : "differ by region";
    lines.push(
      "",
      `Rules change and ${where}, so confirm the details with a licensed adviser in ${countryName}. Ask me about costs, timelines or documents.`,
    );
    return lines.join("\n");
  }
}

/** An OpenAI-compatible chat-completions endpoint, streamed (server-sent events). */
export class HttpAssistant implements Assistant {
  constructor(private readonly options: { url: string; apiKey?: string; model: string; timeoutMs?: number }) {}

  get label() {
    return this.options.model;
  }

  async *reply(context: AssistantContext, signal?: AbortSignal): AsyncIterable<string> {
    const system = `You are the Growbal assistant. You help people with ${serviceLabel(context.serviceType)} in ${context.countryName}. Be practical and concise, and say when something must be confirmed with a licensed local adviser.`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    let response: Response;
    try {
      response = await fetch(`${this.options.url.replace(/\/$/, "")}/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.options.model,
          stream: true,
          messages: [{ role: "system", content: system }, ...context.history],
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new AssistantError(`the assistant service could not be reached (${error instanceof Error ? error.name : "error"})`);
    }
    if (!response.ok || !response.body) throw new AssistantError(`the assistant service answered ${response.status}`);

    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf("\n")) !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") return;
        const piece = parseDelta(data);
        if (piece) yield piece;
      }
    }
  }
}

function parseDelta(data: string): string | null {
  try {
    const json = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] };
    const content = json.choices?.[0]?.delta?.content;
    return typeof content === "string" && content.length > 0 ? content : null;
  } catch {
    return null;
  }
}

/** The configured assistant: HTTP when ASSISTANT_API_URL is set, offline otherwise. */
export function getAssistant(): Assistant {
  const config = getConfig();
  if (!config.ASSISTANT_API_URL) return new OfflineAssistant();
  return new HttpAssistant({ url: config.ASSISTANT_API_URL, apiKey: config.ASSISTANT_API_KEY, model: config.ASSISTANT_MODEL });
}
