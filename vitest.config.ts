import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const chromium = process.env.XIAOER_CHROMIUM ?? '/usr/bin/chromium';
// Workspace packages are read from src/ through the "source" export condition.
const resolve = { conditions: ['source', 'module', 'browser', 'development|production'] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { conditions: ['source', 'module', 'node', 'development|production'] },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/src/**/*.test.ts', 'examples/server/src/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
        },
      },
      {
        resolve,
        test: {
          name: 'browser',
          include: ['packages/*/src/**/*.browser.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: chromium,
                args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        resolve: { conditions: ['source', 'module', 'node', 'development|production'] },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['examples/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
