import type { Metadata } from "next";
import { NotFoundPanel } from "@/app/_components/not-found-panel";

export const metadata: Metadata = { title: "Page not found" };

/** Any address that leads nowhere (and admin pages for non-administrators, which do not admit they exist). */
export default function NotFound() {
  return (
    <NotFoundPanel title="Page not found" explanation="This page could not be found. It may have moved, or the link may be mistyped." />
  );
}
