import { readFileSync } from 'node:fs';

/** The software version reported in status and heartbeats: package.json's. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
