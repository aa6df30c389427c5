import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const chromium = process.env.XIAOER_CHROMIUM ?? '/usr/bin/chromium';
// Workspace packages are read from src/ through the "xiaoer-source" export condition.
const resolve = { conditions: ['xiaoer-source', 'module', 'browser', 'development|production'] };
const nodeConditions = ['xiaoer-source', 'module', 'node', 'development|production'];
const node = { resolve: { conditions: nodeConditions }, ssr: { resolve: { conditions: nodeConditions, externalConditions: ['node'] } } };

export default defineConfig({
  test: {
    projects: [
      {
        ...node,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/src/**/*.test.ts', 'examples/server/src/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          // A hang guard, not a speed limit: npm test runs all three projects at once, and the
          // integration tests here wait on real servers and real timers (each with its own deadline).
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        test: {
          name: 'browser',
          include: ['packages/*/src/**/*.browser.test.ts'],
          testTimeout: 20_000,
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
        ...node,
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
