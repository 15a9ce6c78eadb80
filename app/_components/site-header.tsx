import Link from "next/link";
import { describeError } from "@/lib/log/describe-error";
import { currentPath, getCurrentSession, type CurrentSession } from "@/lib/sessions/dal";
import { deadlinesOf } from "@/lib/sessions/deadlines";
import { getRequestContext } from "@/lib/sessions/request-context";
import { TimeoutNotice } from "./timeout-notice";
import { requestLog } from "@/lib/log/request-log";

/** The signed-in session, if that can be told: the header never takes a page down with it (the page says what failed). */
async function signedInSession(): Promise<CurrentSession | null> {
  try {
    const current = await getCurrentSession();
    return current?.user ? current : null;
  } catch (error) {
    (await requestLog()).error({ err: describeError(error) }, "site header: session unavailable");
    return null;
  }
}

const LINK = "rounded-lg px-3 py-1.5 text-sm font-semibold text-brand-ink hover:bg-white hover:underline";

/** The header on every page: the signed-in person and where they can go, or the way to sign in. */
export async function SiteHeader() {
  const current = await signedInSession();
  const user = current?.user ?? null;
  const notice = current
    ? {
        sessionId: current.session.id,
        initial: { ...deadlinesOf(current.session, current.policy), serverNow: (await getRequestContext()).now.getTime() },
        signInHref: `/login?next=${encodeURIComponent(await currentPath())}`,
      }
    : null;
  return (
    <header className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-5 py-4">
      <Link href="/" className="flex items-center gap-2 text-lg font-bold text-brand-deep">
        <span aria-hidden="true" className="grid size-8 place-items-center rounded-lg bg-brand-strong text-white">
          G
        </span>
        Growbal Intelligence
      </Link>
      <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
        {user ? (
          <>
            <span className="mr-2 text-sm text-slate-600" data-testid="header-user">
              Signed in as <strong className="text-brand-deep">{user.username}</strong>
            </span>
            <Link href="/dashboard" className={LINK}>
              Dashboard
            </Link>
            <Link href="/account" className={LINK}>
              Account
            </Link>
            {user.role === "admin" ? (
              <Link href="/admin/security" className={LINK}>
                Admin
              </Link>
            ) : null}
            <form method="post" action="/logout">
              <button type="submit" className={`${LINK} cursor-pointer`}>
                Sign out
              </button>
            </form>
          </>
        ) : (
          <Link href="/login" className={LINK}>
            Sign in
          </Link>
        )}
      </nav>
      {notice ? <TimeoutNotice key={notice.sessionId} initial={notice.initial} signInHref={notice.signInHref} /> : null}
    </header>
  );
}
