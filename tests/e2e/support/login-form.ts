/**
 * The sign-in form as a browser without JavaScript posts it: the form's hidden fields (React's server-action
 * references) read from /login, sent back with a username and password as multipart/form-data.
 */
export async function loginFormFields(baseURL: string, headers: Record<string, string> = {}): Promise<[string, string][]> {
  return hiddenFields(await (await fetch(`${baseURL}/login`, { headers })).text());
}

/** The hidden fields in a piece of HTML (React renders them name first, then value). */
export function hiddenFields(html: string): [string, string][] {
  const decode = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
  return [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map((m) => [decode(m[1]!), decode(m[2] ?? "")]);
}

/** The hidden fields of the one form on a page that carries `marker` (e.g. a factor's hidden input). */
export function formFieldsWith(html: string, marker: string): [string, string][] {
  const form = html.split("<form").find((part) => part.includes(marker));
  if (!form) throw new Error(`no form with ${marker} on the page`);
  return hiddenFields(form.slice(0, form.indexOf("</form>")));
}

/** The form's fields with the credentials added, ready for a multipart post. */
export function signInFields(fields: [string, string][], username: string, password: string): [string, string][] {
  return [...fields, ["username", username], ["password", password]];
}
