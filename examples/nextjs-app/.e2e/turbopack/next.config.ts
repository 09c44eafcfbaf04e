import { withHogmaps } from '@hogmaps/nextjs';
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {};

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID.
export default withHogmaps(nextConfig, { sourcemaps: { releaseName: 'example-nextjs-app' } });
