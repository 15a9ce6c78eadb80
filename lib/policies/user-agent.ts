import Bowser from "bowser";

/**
 * What user-agent binding compares: browser family, major version and OS. Browsers update themselves mid-session,
 * so minor versions and build numbers must not sign anyone out (comparing whole strings would).
 */
export function userAgentFingerprint(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const browser = (parsed.browser.name ?? "unknown").toLowerCase();
  const major = (parsed.browser.version ?? "").split(".")[0] || "?";
  const os = (parsed.os.name ?? "unknown").toLowerCase();
  return `${browser}/${major}/${os}`;
}

/** "Chrome on Linux" — for people (signed-in devices, notices). */
export function describeUserAgent(userAgent: string | null | undefined): { browser: string; os: string } {
  if (!userAgent) return { browser: "Unknown browser", os: "unknown system" };
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const major = (parsed.browser.version ?? "").split(".")[0];
  return {
    browser: parsed.browser.name ? `${parsed.browser.name}${major ? ` ${major}` : ""}` : "Unknown browser",
    os: parsed.os.name ?? "unknown system",
  };
}
