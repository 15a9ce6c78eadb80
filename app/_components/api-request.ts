/** A state-changing JSON request from the browser; the API's error (code and message) when it fails. */
export type ApiOutcome<T> = { ok: true; data: T } | { ok: false; status: number; code: string; message: string };

export async function apiRequest<T = unknown>(
  url: string,
  init: { method: string; body?: unknown },
  fallbackMessage: string,
): Promise<ApiOutcome<T>> {
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const body = (await response.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
    if (response.ok) return { ok: true, data: body as T };
    return { ok: false, status: response.status, code: body?.error?.code ?? "unknown", message: body?.error?.message ?? fallbackMessage };
  } catch {
    return { ok: false, status: 0, code: "network", message: "The request did not reach the server." };
  }
}
