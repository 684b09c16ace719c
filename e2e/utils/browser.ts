import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (installed by tools/scripts/install-toolchains.sh); playwright-core downloads nothing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  /** A page that records every console error, page error and dialog. */
  page(): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** Messages of dialogs that opened (alert, confirm): accepted. */
  dialogs: string[];
}

/** A real headless chromium with a fresh profile, in the given colour scheme. */
export async function openBrowser(colorScheme: 'light' | 'dark' = 'light'): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: run tools/scripts/install-toolchains.sh (apt package chromium)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'factory-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    colorScheme,
    viewport: { width: 1200, height: 900 },
  });
  return {
    async page() {
      const page = await context.newPage();
      const watched: WatchedPage = { page, errors: [], dialogs: [] };
      page.on('console', (m) => {
        if (m.type() === 'error') watched.errors.push(m.text());
      });
      page.on('pageerror', (e) => watched.errors.push(`uncaught: ${e.message}`));
      page.on('dialog', (d) => {
        watched.dialogs.push(d.message());
        void d.accept();
      });
      return watched;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Where screenshots go: FACTORY_SCREENSHOTS (e.g. docs/screenshots, to commit them after
 * looking at them), else a temporary folder.
 */
export function screenshotDir(): string {
  const dir = process.env.FACTORY_SCREENSHOTS ? path.resolve(process.env.FACTORY_SCREENSHOTS) : path.join(tmpdir(), 'factory-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
