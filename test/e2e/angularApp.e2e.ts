/**
 * examples/angular — a chat on `injectAgentChat` — built with the Angular CLI and served by
 * examples/node-server at `/angular/`, offline, in Chromium: two messages with their history, a
 * tool call running then done, a booking approved, Stop mid-answer and Retry, and the run ended
 * with the component.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers.js';
import { pageFixture } from './pageSuite.js';

const fixture = pageFixture({ name: 'The Angular chat', slug: 'angular-chat', path: '/angular/' });

const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).last().textContent()) ?? '').trim();

const status = (page: Page): Promise<string> => text(page, '#status');

/** The texts the last card's reason went through, recorded on every change to the page. */
async function recordReasons(page: Page): Promise<string[]> {
  const reasons: string[] = [];
  await page.exposeFunction('recordReason', (reason: string) => {
    if (reason !== '' && reason !== reasons.at(-1)) reasons.push(reason);
  });
  await page.evaluate(() => {
    const record = (window as unknown as { recordReason: (reason: string) => void }).recordReason;
    new MutationObserver(() => {
      const cards = document.querySelectorAll('.card:not(.final) .reason');
      record(cards[cards.length - 1]?.textContent?.trim() ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return reasons;
}

async function send(page: Page, message?: string): Promise<void> {
  if (message !== undefined) await page.locator('#question').fill(message);
  await page.locator('#send').click();
}

describe('The Angular chat, against the example server', () => {
  it('holds a conversation: a tool runs and finishes, the card fills in, a booking is approved', async () => {
    const page = await fixture.open();
    const reasons = await recordReasons(page);

    await send(page);
    await page.locator('.tool[data-name=get_weather][data-status=running]').waitFor();
    await page.locator('.tool[data-name=get_weather][data-status=done]').waitFor();
    await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Ready.');
    expect(await text(page, '.card.final .destination')).toBe('Lisbon, Portugal');
    expect(reasons.length, `reasons while streaming: ${JSON.stringify(reasons)}`).toBeGreaterThanOrEqual(3);
    reasons.slice(1).forEach((reason, index) => expect(reason.startsWith(reasons[index] ?? '')).toBe(true));
    await screenshot(page, 'angular-chat-answered');

    // The offline model books the destination of the answer before, which it reads in the history.
    await send(page, 'Book it for five nights, please.');
    await page.locator('.tool[data-name=book_trip][data-status=awaiting-approval]').waitFor();
    await expect.poll(() => status(page)).toBe('Waiting for your approval.');
    await screenshot(page, 'angular-chat-approval');
    await page.locator('.approve').click();
    await page.locator('.tool[data-name=book_trip][data-status=done]').waitFor();
    await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Ready.');
    expect(await page.locator('.card.final').count()).toBe(2);
    expect(await text(page, '.card.final .reason')).toContain('Booked 5 nights in Lisbon, Portugal');
    expect(await page.locator('.message[data-role=user]').count()).toBe(2);
    expect(fixture.pageErrors).toEqual([]);
    await screenshot(page, 'angular-chat-booked');
  });

  it('stops mid-answer (the server aborts its model call), then Retry answers', async () => {
    const page = await fixture.open();
    const callIndex = (await fixture.server.modelCalls()).length;

    await send(page);
    // The second model call streams the answer: stop once its reason has begun.
    await page.waitForFunction(() => (document.querySelector('.card .reason')?.textContent ?? '').length >= 12);
    await page.locator('#stop').click();
    await expect.poll(() => status(page)).toBe('Ready.'); // rendered on the next frame, zoneless
    const atStop = await text(page, '.card .reason');
    expect(await fixture.server.settledModelCall(callIndex + 1)).toMatchObject({ aborted: true });
    // The offline model sends a piece every 60 ms: in 600 ms a live run would add ten.
    await page.waitForTimeout(600);
    expect(await text(page, '.card .reason')).toBe(atStop);
    expect(await page.locator('.card.final').count()).toBe(0);
    await screenshot(page, 'angular-chat-stopped');

    await page.locator('#retry').click();
    // The status still says Ready until the retried run's first frame: wait for its answer first.
    await page.locator('.card.final').waitFor({ timeout: 15_000 });
    await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Ready.');
    expect(await page.locator('.card.final').count()).toBe(1);
    expect(await page.locator('.message[data-role=user]').count()).toBe(1);
    expect(fixture.pageErrors).toEqual([]);
    await screenshot(page, 'angular-chat-retried');
  });

  it('cancels the run when the component is destroyed', async () => {
    const page = await fixture.open();
    const callIndex = (await fixture.server.modelCalls()).length;

    await send(page);
    await page.locator('.tool[data-name=get_weather]').waitFor();
    await page.waitForFunction(() => (document.querySelector('.card .reason')?.textContent ?? '').length >= 4);
    await page.locator('#toggle-panel').click(); // closes the panel: the component is destroyed
    await page.locator('#closed').waitFor();

    expect(await fixture.server.settledModelCall(callIndex + 1)).toMatchObject({ aborted: true });
    expect(fixture.pageErrors).toEqual([]);
    await screenshot(page, 'angular-chat-closed');
  });
});
