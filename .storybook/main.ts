import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../packages/widget/src/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  // A docs page per component (autodocs, preview.ts): its API from the Custom Elements Manifest.
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true },
  // msw's service worker (mockServiceWorker.js), put there by `msw init` in scripts/workspace.mjs;
  // the demo shop's product pictures, at the path the reference server serves them from.
  staticDirs: ['./public', { from: '../examples/storefront/img', to: '/storefront/img' }],
  async viteFinal(viteConfig) {
    // Read the workspace packages from src/ (the "xiaoer-source" export condition), like the tests do.
    viteConfig.resolve ??= {};
    viteConfig.resolve.conditions = ['xiaoer-source', 'module', 'browser', 'development|production'];
    return viteConfig;
  },
};
export default config;
