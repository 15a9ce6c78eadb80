import { getConfig } from "@/lib/config";
import { route } from "@/lib/http/route";
import { policySummary } from "@/lib/policies/summary";
import { countOverrides } from "@/lib/sessions/policy-overrides";

/** GET /api/session/policies: enforcement flag, default level, every policy, number of per-user overrides. */
export const GET = route(
  {
    auth: "user",
    doc: {
      summary: "The session policies in force",
      description:
        "Whether policies are enforced, the default security level, each session kind's limits and bindings, and how many users have an override.",
      response: { description: "The policies." },
    },
  },
  async ({ db }) => policySummary(getConfig().policySettings, await countOverrides(db)),
);
