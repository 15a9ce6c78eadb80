import type { Metadata, Viewport } from "next";
import { SiteHeader } from "@/app/_components/site-header";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Growbal Intelligence", template: "%s · Growbal Intelligence" },
  description: "Talk to the Growbal assistant about doing business in any country.",
};

export const viewport: Viewport = { themeColor: "#198484" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: the CSP nonce is per request, and pages read the session anyway.
  await connection();
  return (
    <html lang="en">
      <body>
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2"
        >
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto max-w-6xl px-5 pb-16">
          {children}
        </main>
      </body>
    </html>
  );
}
