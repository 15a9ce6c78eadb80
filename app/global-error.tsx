"use client";

/** When even the page frame could not be rendered: the same plain message, with its own document. */
export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <main id="main" style={{ fontFamily: "system-ui, sans-serif", maxWidth: "32rem", margin: "4rem auto", textAlign: "center" }}>
          <h1>Temporarily unavailable</h1>
          <p>We couldn&apos;t load this page just now. This is usually brief, and nothing you saved is lost.</p>
          <p>
            <a href="">Try again</a>
          </p>
        </main>
      </body>
    </html>
  );
}
