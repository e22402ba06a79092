/** examples/angular, built with the Angular CLI and served by examples/node-server at `/angular/`. */
import { describe, expect, it } from 'vitest';
import { recordSnapshots, screenshot, streamingStates } from './helpers.js';
import { describePage } from './pageSuite.js';

const fixture = describePage({ name: 'The Angular app', slug: 'angular-app', path: '/angular/' });

describe('The Angular app, beyond the shared tests', () => {
  it('fills in the recommendation while the answer streams (partialOutput)', async () => {
    const page = await fixture.open();
    const snapshots = await recordSnapshots(page);

    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe('Done.');

    const reasons = streamingStates(snapshots, 'reason');
    expect(reasons.length, `reason states while streaming: ${JSON.stringify(reasons)}`).toBeGreaterThanOrEqual(3);
    reasons.slice(1).forEach((reason, index) => expect(reason.startsWith(reasons[index] ?? '')).toBe(true));
    const destinations = streamingStates(snapshots, 'destination');
    expect(destinations.length).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#result .badge').textContent()).toBe('final');
  });

  it('cancels the run when the component is destroyed', async () => {
    const page = await fixture.open();
    const callIndex = (await fixture.server.modelCalls()).length;

    await page.locator('button[type=submit]').click();
    await page.waitForFunction(() => (document.querySelector('#answer')?.textContent ?? '').length >= 16);
    await page.locator('#toggle-panel').click(); // closes the panel: the component is destroyed
    await page.locator('#closed').waitFor();

    expect(await fixture.server.settledModelCall(callIndex)).toMatchObject({ aborted: true });
    expect(fixture.pageErrors).toEqual([]);
    await screenshot(page, 'angular-app-closed');
  });
});
