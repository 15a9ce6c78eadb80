/** SWR's fetcher: JSON, and an Error carrying the API's message (and status) when the response is not ok. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function fetcher<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(body?.error?.message ?? `Request failed (${response.status})`, response.status, body?.error?.code ?? "unknown");
  }
  return (await response.json()) as T;
}
