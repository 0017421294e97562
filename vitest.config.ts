import { defineConfig } from 'vitest/config';

// Three projects, one runner. File name says the kind:
//   *.test.ts      unit: pure logic, fake timers, no I/O beyond tmp files
//   *.int.test.ts  integration: real SQLite files, ffmpeg, socat ptys, HTTP on 127.0.0.1, Postgres
//   *.e2e.test.ts  end-to-end: real booth core + intake + Debian Chromium with fake camera/microphone
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}'],
          exclude: ['tests/**/*.int.test.ts', 'tests/**/*.e2e.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One Chromium at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
