/**
 * The tests a one-question page passes — the browser page (examples/browser) — against the
 * example server, offline, in Chromium: the answer streams in,
 * the recommendation is rendered, Cancel stops the run on the server, a failure is shown.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  recordSnapshots,
  screenshot,
  startExampleServerProcess,
  streamingStates,
  type ExampleServerProcess,
} from './helpers.js';

export interface PageUnderTest {
  /** Shown in test names. */
  readonly name: string;
  /** Names the screenshots. */
  readonly slug: string;
  /** The page's path on the example server. */
  readonly path: string;
}

export interface PageFixture {
  readonly server: ExampleServerProcess;
  /** Opens the page in a fresh browser context, with `headers` on every request. */
  open(headers?: Record<string, string>): Promise<Page>;
  /** Uncaught errors of the pages opened in this test. */
  readonly pageErrors: Error[];
}

/** Starts a server and a browser for the file; returns the fixture that opens the page. */
export function pageFixture(target: PageUnderTest): PageFixture {
  let server: ExampleServerProcess | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startExampleServerProcess(), launchChromium()]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    pageErrors.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const fixture: PageFixture = {
    get server() {
      if (server === undefined) throw new Error('The example server has not started.');
      return server;
    },
    async open(headers = {}) {
      if (browser === undefined) throw new Error('The browser has not started.');
      const context = await browser.newContext({ viewport: { width: 900, height: 760 }, extraHTTPHeaders: headers });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.goto(new URL(target.path, fixture.server.url).href);
      await page.locator('#question').waitFor();
      return page;
    },
    pageErrors,
  };
  return fixture;
}

/** Starts a server and a browser for the file; `describe`s the shared tests; returns the fixture. */
export function describePage(target: PageUnderTest): PageFixture {
  const fixture = pageFixture(target);

  describe(`${target.name}, against the example server`, () => {
    it('shows the answer growing as it streams, then the recommendation as fields', async () => {
      const page = await fixture.open();
      const snapshots = await recordSnapshots(page);

      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe('Done.');

      const states = streamingStates(snapshots, 'answer');
      expect(states.length, `answer states while streaming: ${JSON.stringify(states)}`).toBeGreaterThanOrEqual(3);
      states.slice(1).forEach((state, index) => {
        const previous = states[index] ?? '';
        expect(state.length).toBeGreaterThan(previous.length);
        expect(state.startsWith(previous), `${JSON.stringify(state)} continues ${JSON.stringify(previous)}`).toBe(true);
      });

      const answer = (await page.locator('#answer').textContent()) ?? '';
      const recommendation = JSON.parse(answer) as {
        destination: string;
        reason: string;
        bestSeason: string;
        budgetPerDayEur: number;
      };
      expect(states.at(-1)?.length ?? 0).toBeLessThanOrEqual(answer.length);
      await expect.poll(() => page.locator('#destination').textContent()).toBe(recommendation.destination);
      expect(await page.locator('#reason').textContent()).toBe(recommendation.reason);
      expect(await page.locator('#best-season').textContent()).toBe(recommendation.bestSeason);
      expect(await page.locator('#budget').textContent()).toBe(`€${recommendation.budgetPerDayEur}`);
      expect(await page.locator('#error').isVisible()).toBe(false);
      expect(fixture.pageErrors).toEqual([]);
      await screenshot(page, `${target.slug}-answered`);
    });

    it('stops the text growing on Cancel, and the server aborts its model call', async () => {
      const page = await fixture.open();
      const callIndex = (await fixture.server.modelCalls()).length;

      await page.locator('button[type=submit]').click();
      await page.waitForFunction(() => (document.querySelector('#answer')?.textContent ?? '').length >= 16);
      await page.locator('#cancel').click();
      const atCancel = (await page.locator('#answer').textContent()) ?? '';

      // The offline model sends a piece every 60 ms: in 600 ms a live run would add ten.
      await page.waitForTimeout(600);
      expect(await page.locator('#answer').textContent()).toBe(atCancel);
      expect(await page.locator('#status').textContent()).toBe('Cancelled.');
      expect(() => JSON.parse(atCancel)).toThrow(); // cut off mid-answer
      expect(await page.locator('#error').isVisible()).toBe(false);

      const call = await fixture.server.settledModelCall(callIndex);
      expect(call).toMatchObject({ path: '/v1/responses', aborted: true });
      expect(await fixture.server.modelCalls()).toHaveLength(callIndex + 1);
      expect(fixture.pageErrors).toEqual([]);
      await screenshot(page, `${target.slug}-cancelled`);
    });

    it('shows a failing model call as a message', async () => {
      const page = await fixture.open({ 'x-offline-fault': '500' });
      const callIndex = (await fixture.server.modelCalls()).length;

      await page.locator('button[type=submit]').click();
      const error = page.locator('#error');
      await error.waitFor({ state: 'visible' });
      expect(await error.textContent()).toContain('HTTP 500');
      expect(await page.locator('#status').textContent()).toBe('Failed.');
      expect(await page.locator('#answer').textContent()).toBe('');
      expect(await fixture.server.settledModelCall(callIndex)).toMatchObject({ aborted: false });
      expect(fixture.pageErrors).toEqual([]);
      await screenshot(page, `${target.slug}-failed`);
    });
  });

  return fixture;
}
