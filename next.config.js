/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Deployment files are read at request time from DEPLOYMENTS_DIR / deployments/, never bundled.
  outputFileTracingExcludes: { "*": ["deployments/.local/**"] },
};

export default nextConfig;
