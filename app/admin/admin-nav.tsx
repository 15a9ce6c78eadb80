"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const PAGES = [
  { href: "/admin/security", label: "Security" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/events", label: "Audit log" },
] as const;

/** The administration pages, with the current one marked for assistive technology. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Administration" className="mb-4 flex gap-2 text-sm">
      {PAGES.map((page) => {
        const current = pathname === page.href || pathname.startsWith(`${page.href}/`);
        return (
          <Link
            key={page.href}
            href={page.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-lg px-3 py-1.5 font-semibold ${current ? "bg-brand-strong text-white" : "text-brand-ink hover:bg-white hover:underline"}`}
          >
            {page.label}
          </Link>
        );
      })}
    </nav>
  );
}
