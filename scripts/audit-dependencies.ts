/**
 * Dependency advisories for what ships (npm audit --omit=dev): fails on a high or critical advisory. A registry
 * without the audit endpoint (some mirrors answer 405) cannot tell us anything: that is reported as such, and
 * does not fail the run, since no advisory was found or missed by our code.
 */
import { spawnSync } from "node:child_process";
import { z } from "zod";

const reportSchema = z.object({
  vulnerabilities: z.record(z.string(), z.object({ severity: z.string(), via: z.array(z.unknown()).optional() })).optional(),
  metadata: z.object({ vulnerabilities: z.record(z.string(), z.number()) }).optional(),
  statusCode: z.number().optional(),
  message: z.string().optional(),
});

const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
let report: z.infer<typeof reportSchema> | null = null;
try {
  const parsed = reportSchema.safeParse(JSON.parse(result.stdout || "null"));
  report = parsed.success ? parsed.data : null;
} catch {
  report = null;
}

if (!report?.metadata) {
  const why = report?.message ?? (result.error ? result.error.message : "no audit report");
  console.log(`audit: the registry could not run an advisory check (${why}); dependency advisories NOT checked.`);
  process.exit(0);
}
const counts = report.metadata.vulnerabilities;
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
const names = Object.entries(report.vulnerabilities ?? {})
  .filter(([, v]) => v.severity === "high" || v.severity === "critical")
  .map(([name, v]) => `${name} (${v.severity})`);
console.log(
  `audit: ${Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")}`,
);
if (serious > 0) {
  console.error(`audit: high or critical advisories in production dependencies: ${names.join(", ")}`);
  process.exit(1);
}
