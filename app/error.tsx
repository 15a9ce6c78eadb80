"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Any page that could not be rendered: most often the database is briefly out of reach (it answers 503 to APIs
 * meanwhile). Nothing technical is shown; "Try again" reloads the same address, so it works without JavaScript too.
 */
export default function PageError({ error }: { error: Error & { digest?: string } }) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const again = pathname + (search ? `?${search}` : "");
  return (
    <section className="mx-auto mt-16 max-w-lg rounded-2xl bg-white p-8 text-center shadow-sm" data-testid="page-unavailable">
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-bold text-brand-deep">
        Temporarily unavailable
      </h1>
      <p className="mt-3 text-slate-700">We couldn&apos;t load this page just now. This is usually brief, and nothing you saved is lost.</p>
      <div className="mt-6 flex justify-center gap-3">
        <a href={again} className="btn btn-primary">
          Try again
        </a>
        <Link href="/" className="btn btn-secondary">
          Home
        </Link>
      </div>
      {error.digest ? <p className="mt-6 text-xs text-slate-500">Reference: {error.digest}</p> : null}
    </section>
  );
}
