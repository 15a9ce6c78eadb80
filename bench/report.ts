import fs from "node:fs";
import path from "node:path";

const FILE = path.resolve(__dirname, "..", "docs", "BENCHMARKS.md");
const HEADER =
  "# Benchmarks\n\nNumbers written by `npm run bench` (bench/). They describe this machine on the day they were taken; CI never fails on a timing.\n";

/** Replaces (or appends) the `## title` section of docs/BENCHMARKS.md. */
export function writeBenchmarkSection(title: string, body: string): void {
  const current = fs.existsSync(FILE) ? fs.readFileSync(FILE, "utf8") : HEADER;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trimEnd()}\n\n`;
  const start = current.indexOf(heading);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf("\n## ", start + heading.length);
    next = current.slice(0, start) + section + (after === -1 ? "" : current.slice(after + 1));
  }
  fs.writeFileSync(FILE, `${next.trimEnd()}\n`);
}
