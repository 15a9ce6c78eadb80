import { describe, expect, it } from "vitest";
import { checkPageSubmission, MAX_PAGE_SUBMISSION_BYTES, submissionProblemPage } from "@/lib/http/page-submission";

const post = (body: BodyInit, headers: Record<string, string>) => new Request("http://localhost/login", { method: "POST", body, headers });

describe("checkPageSubmission", () => {
  it("lets a browser's form through, whatever the case of its multipart boundary", async () => {
    const form = new FormData();
    form.set("username", "ada");
    const encoded = new Response(form);
    const type = encoded.headers.get("content-type")!;
    const boundary = type.split("boundary=")[1]!;
    // Browsers use mixed-case boundaries (----WebKitFormBoundary…).
    const mixed = `----WebKitFormBoundaryAbCdEf${boundary}`;
    const body = (await encoded.text()).replaceAll(boundary, mixed);
    expect(await checkPageSubmission(post(body, { "content-type": `multipart/form-data; boundary=${mixed}` }))).toBeNull();
    expect(await checkPageSubmission(post("username=ada", { "content-type": "application/x-www-form-urlencoded" }))).toBeNull();
  });

  it("refuses a body over the limit by its declared length, and a damaged multipart body", async () => {
    const big = "a".repeat(MAX_PAGE_SUBMISSION_BYTES + 1);
    expect((await checkPageSubmission(post(big, { "content-type": "application/x-www-form-urlencoded" })))?.status).toBe(413);
    const declared = post("username=ada", { "content-type": "application/x-www-form-urlencoded", "content-length": "1000000" });
    expect((await checkPageSubmission(declared))?.status).toBe(413);
    const damaged = '--xyz\r\ncontent-disposition: form-data; name="a"\r\n\r\nb';
    expect((await checkPageSubmission(post(damaged, { "content-type": "multipart/form-data; boundary=xyz" })))?.status).toBe(400);
  });

  it("leaves other bodies (server-action calls with arguments) to Next.js", async () => {
    expect(await checkPageSubmission(post('["x"]', { "content-type": "text/plain;charset=UTF-8" }))).toBeNull();
  });
});

describe("submissionProblemPage", () => {
  it("escapes what it shows, carries the nonce and shows the request id as its reference", () => {
    const page = submissionProblemPage({ status: 400, title: "T", message: "M" }, '/login"><script>', "n0nce", "req-1234<b>");
    expect(page).toContain('nonce="n0nce"');
    expect(page).not.toContain("<script>");
    expect(page).toContain("Reference: req-1234&#60;b&#62;");
  });
});
