import { defineConfig } from 'vitest/config';
import { viteWasm } from './scripts/wasm.mjs';

export default defineConfig({
  // `import binary from '…/x.wasm'` compiles wasm/x.ts (AssemblyScript), as build.mjs does.
  plugins: [viteWasm],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only add contention to the pipeline tests.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
