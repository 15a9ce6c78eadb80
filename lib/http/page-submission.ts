/**
 * Form posts and server-action calls to pages, checked in middleware before Next.js parses them: Next answers an
 * oversized or malformed body with a bare 500, and a person should get a page that says what happened instead.
 * (JSON APIs have their own limit and messages: lib/http/json-body.ts.)
 */
export const MAX_PAGE_SUBMISSION_BYTES = 64 * 1024;

export type SubmissionProblem = { status: 400 | 413; title: string; message: string };

const TOO_LARGE: SubmissionProblem = {
  status: 413,
  title: "That was too much to send",
  message: "The form was larger than we accept. Go back, shorten what you entered, and try again.",
};
const MALFORMED: SubmissionProblem = {
  status: 400,
  title: "That form could not be read",
  message: "What your browser sent was incomplete or damaged. Go back and try again.",
};

/** Null when the submission may go on to the page; otherwise what is wrong with it. */
export async function checkPageSubmission(request: Request): Promise<SubmissionProblem | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= MAX_PAGE_SUBMISSION_BYTES)) return TOO_LARGE;
  // The original header for parsing: a multipart boundary is case-sensitive.
  const type = request.headers.get("content-type") ?? "";
  const mediaType = type.toLowerCase();
  if (!mediaType.startsWith("multipart/form-data") && !mediaType.startsWith("application/x-www-form-urlencoded")) return null;
  try {
    const body = await request.clone().arrayBuffer();
    if (body.byteLength > MAX_PAGE_SUBMISSION_BYTES) return TOO_LARGE;
    await new Response(body, { headers: { "content-type": type } }).formData();
    return null;
  } catch {
    return MALFORMED;
  }
}

/** A small self-contained page for the problem (no scripts; the style carries the request's CSP nonce). */
export function submissionProblemPage(problem: SubmissionProblem, backTo: string, nonce: string, requestId: string): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(problem.title)} · Growbal Intelligence</title>
<style nonce="${escape(nonce)}">body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1.25rem;color:#0f172a}a{color:#0f5f5f}</style>
</head><body><main id="main"><h1>${escape(problem.title)}</h1><p>${escape(problem.message)}</p><p><a href="${escape(backTo)}">Go back</a></p><p><small>Reference: ${escape(requestId)}</small></p></main></body></html>`;
}
