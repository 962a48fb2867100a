/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', 'node-llama-cpp'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
