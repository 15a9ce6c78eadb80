/**
 * What visitors who have not signed in may use from one network (/24, IPv6 /64): the seed's three anonymous sessions
 * at once, and — because every anonymous message may cost a paid assistant call — chats started and messages sent
 * per hour. Pure: the counts come from anonymous-usage.ts. Signed-in people are never held to these.
 */

export type AnonymousAction = "start_session" | "start_chat" | "send_message";
export type AnonymousUsage = { liveSessions: number; chatsLastHour: number; messagesLastHour: number };
export type AnonymousLimits = { sessionsPerNetwork: number; chatsPerHour: number; messagesPerHour: number };

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** Small counts read better in words ("three chats"), large ones in digits. */
export function countInWords(n: number): string {
  return NUMBER_WORDS[n] ?? n.toLocaleString("en");
}

/** The reason this action is refused, in words a visitor understands; null when it is allowed. */
export function anonymousRefusal(action: AnonymousAction, usage: AnonymousUsage, limits: AnonymousLimits): string | null {
  if (action === "start_session" && usage.liveSessions >= limits.sessionsPerNetwork) {
    const n = limits.sessionsPerNetwork;
    return `${capitalized(countInWords(n))} chat${n === 1 ? " is" : "s are"} already open from your network without signing in, the most we allow. Sign in to start another, or go back to ${n === 1 ? "it" : "one of them"}.`;
  }
  if ((action === "start_session" || action === "start_chat") && usage.chatsLastHour >= limits.chatsPerHour) {
    return `${capitalized(countInWords(limits.chatsPerHour))} chats have been started from your network in the last hour without signing in, the most we allow. Sign in to start another, or try again later.`;
  }
  if (action === "send_message" && usage.messagesLastHour >= limits.messagesPerHour) {
    return `You have reached ${countInWords(limits.messagesPerHour)} messages in an hour without signing in, the most we allow. Sign in to keep chatting; your message is still in the box.`;
  }
  return null;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
