/**
 * The sign-in form as a browser without JavaScript posts it: the form's hidden fields (React's server-action
 * references) read from /login, sent back with a username and password as multipart/form-data.
 */
export async function loginFormFields(baseURL: string, headers: Record<string, string> = {}): Promise<[string, string][]> {
  const html = await (await fetch(`${baseURL}/login`, { headers })).text();
  const decode = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
  return [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map((m) => [decode(m[1]!), decode(m[2] ?? "")]);
}

/** The form's fields with the credentials added, ready for a multipart post. */
export function signInFields(fields: [string, string][], username: string, password: string): [string, string][] {
  return [...fields, ["username", username], ["password", password]];
}
