import "server-only";
import type { CurrentSession, CurrentUser } from "./dal";
import { getRequestContext } from "./request-context";

/** Who is acting, from where and when: what account operations and the second step record and check. */
export type RequestActor = {
  userId: string;
  username: string;
  sessionId: string;
  policy: CurrentSession["policy"];
  ip: string | null;
  userAgent: string | null;
  now: Date;
};

export async function requestActor(current: Pick<CurrentSession, "session" | "policy"> & { user: CurrentUser }): Promise<RequestActor> {
  const { now, facts } = await getRequestContext();
  return {
    userId: current.user.id,
    username: current.user.username,
    sessionId: current.session.id,
    policy: current.policy,
    ip: facts.ip,
    userAgent: facts.userAgent,
    now,
  };
}
