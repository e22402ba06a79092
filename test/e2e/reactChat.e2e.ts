/**
 * examples/react-chat: a React page on `@ai-sdk/react`'s `useChat`, unchanged, against the
 * example's own server (`serveUIMessageStream`), offline, in Chromium. One conversation, step by
 * step: an answer streams in; a second message carries the first exchange to the model; a booking
 * asks for approval and, approved, runs on the server; Stop ends an answer mid-stream and aborts
 * the model call. Build it first: `node scripts/build-examples.mjs --react`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendations } from '../../examples/react-chat/offlineModel.js';
import { launchChromium, readyUrl, root, screenshot } from './helpers.js';

const example = `${root}examples/react-chat`;

/** A model call the offline server received, as `GET /api/offline/model-requests` lists it. */
interface ModelCall {
  readonly path: string;
  readonly body: { readonly input?: readonly Record<string, unknown>[] };
  readonly closedAt?: number;
  readonly aborted: boolean;
}

let server: ChildProcess | undefined;
let url = '';
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', OFFLINE_DELAY_MS: '40' };
  delete env.OPENAI_API_KEY; // offline, whatever the environment says
  server = spawn(`${example}/node_modules/.bin/tsx`, ['server.ts'], { cwd: example, env, stdio: 'pipe' });
  [url, browser] = await Promise.all([readyUrl(server), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(url);
  await page.locator('#question').waitFor();
});

afterAll(async () => {
  await browser?.close();
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

async function modelCalls(): Promise<ModelCall[]> {
  return (await (await fetch(new URL('api/offline/model-requests', url))).json()) as ModelCall[];
}

/** Waits for the model call at `index` to be over, and returns it. */
async function settledModelCall(index: number): Promise<ModelCall> {
  await expect.poll(async () => (await modelCalls())[index]?.closedAt, { timeout: 5_000 }).toBeDefined();
  return (await modelCalls())[index]!;
}

const status = () => page.locator('#status').textContent();
const assistant = () => page.locator('.message.assistant').last();
const lastAnswer = async () => (await assistant().locator('.text').allTextContents()).join('');

async function send(text: string): Promise<void> {
  await page.locator('#question').fill(text);
  await page.locator('button[type=submit]').click();
}

/** Waits until the last answer has at least `length` characters while it still streams; returns it. */
async function whileStreaming(length: number): Promise<string> {
  await page.waitForFunction((min) => {
    if (document.querySelector('#status')?.textContent !== 'streaming') return false;
    const answer = Array.from(document.querySelectorAll('.message.assistant')).at(-1);
    const texts = Array.from(answer?.querySelectorAll('.text') ?? []).map((text) => text.textContent ?? '');
    return texts.join('').length >= min;
  }, length);
  return lastAnswer();
}

/** The text of a Responses API input item (a string content, or its parts' text). */
function itemText(item: Record<string, unknown>): string {
  const content = item.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : '';
}

describe('The React chat (useChat), against its server', () => {
  const first = 'Where should I go in spring?';

  it('streams the first answer in', async () => {
    await send(first);
    const partial = await whileStreaming(20);
    await expect.poll(status, { timeout: 15_000 }).toBe('ready');
    const answer = await lastAnswer();
    expect(answer).toBe(recommendations[0]);
    expect(partial.length).toBeLessThan(answer.length);
    expect(answer.startsWith(partial)).toBe(true);
    await screenshot(page, 'react-chat-first-answer');
  });

  it("sends the second message with the first exchange: the model's request holds it", async () => {
    const second = 'Somewhere else?';
    await send(second);
    await expect.poll(status, { timeout: 15_000 }).toBe('ready');
    expect(await lastAnswer()).toBe(recommendations[1]);

    const calls = await modelCalls();
    expect(calls).toHaveLength(2);
    const input = calls[1]!.body.input ?? [];
    expect(input.map((item) => [item.role, itemText(item)])).toEqual([
      ['user', first],
      ['assistant', recommendations[0]],
      ['user', second],
    ]);
    expect(await page.locator('.message').count()).toBe(4);
  });

  it('asks before booking; Approve runs the tool on the server and the answer goes on', async () => {
    await send('Book Lisbon for me, please.');
    const tool = assistant().locator('.tool');
    await tool.locator('button.approve').waitFor({ timeout: 15_000 });
    expect(await tool.getAttribute('data-state')).toBe('approval-requested');
    expect(await tool.locator('code').textContent()).toBe(
      'book_trip({"destination":"Lisbon, Portugal","dates":"12–19 May"})',
    );
    await expect.poll(status).toBe('ready');
    expect(await modelCalls()).toHaveLength(3); // nothing runs until the person answers
    await screenshot(page, 'react-chat-approval');

    await tool.locator('button.approve').click();
    await expect.poll(() => tool.getAttribute('data-state'), { timeout: 15_000 }).toBe('output-available');
    const output = JSON.parse((await tool.locator('.output').textContent()) ?? '');
    expect(output).toMatchObject({ destination: 'Lisbon, Portugal', dates: '12–19 May' });
    expect(output.confirmation).toMatch(/^TRIP-/);
    await expect.poll(lastAnswer, { timeout: 15_000 }).toContain('your trip is booked');
    await expect.poll(status).toBe('ready');

    // The resumed run went on in the same assistant message, and told the model the tool's output.
    expect(await page.locator('.message').count()).toBe(6);
    const calls = await modelCalls();
    expect(calls).toHaveLength(4);
    expect(calls[3]!.body.input?.at(-1)).toMatchObject({ type: 'function_call_output' });
    expect(JSON.parse(calls[3]!.body.input?.at(-1)?.output as string)).toEqual(output);
    await screenshot(page, 'react-chat-approved');
  });

  it("stops an answer mid-stream: the page keeps the partial text, the server's model call is aborted", async () => {
    const index = (await modelCalls()).length;
    await send('Any other idea?');
    await whileStreaming(30);
    await page.locator('#stop').click();
    await expect.poll(status).toBe('ready');

    const call = await settledModelCall(index);
    expect(call).toMatchObject({ path: '/v1/responses', aborted: true });
    const partial = await lastAnswer();
    const full = recommendations[2]!;
    expect(partial.length).toBeGreaterThanOrEqual(30);
    expect(partial.length).toBeLessThan(full.length);
    expect(full.startsWith(partial)).toBe(true);
    expect(await modelCalls()).toHaveLength(index + 1);
    expect(pageErrors).toEqual([]);
    await screenshot(page, 'react-chat-stopped');
  });
});
