/**
 * What the end-to-end tests drive: the example server in a child process, started the way
 * `npm run example:server` starts it (tsx, from the built package), and Chromium (see
 * `chromium.ts` for which) through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from './chromium.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const screenshotDir = `${root}test-output/e2e`;

/** How long the offline model waits between two streamed events: slow enough to watch, and to cancel. */
const offlineDelayMs = 60;

/** A call the offline model server received, as `GET /api/offline/model-requests` lists it. */
export interface ModelCall {
  readonly path: string;
  readonly closedAt?: number;
  readonly aborted: boolean;
}

export interface ExampleServerProcess {
  readonly url: string;
  modelCalls(): Promise<ModelCall[]>;
  /** Waits for the model call at `index` to be over, and returns it. */
  settledModelCall(index: number): Promise<ModelCall>;
  close(): Promise<void>;
}

/** Starts examples/node-server offline on a free port, with `extraEnv` (e.g. an OTLP endpoint). */
export async function startExampleServerProcess(extraEnv: NodeJS.ProcessEnv = {}): Promise<ExampleServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', OFFLINE_DELAY_MS: String(offlineDelayMs) };
  delete env.OPENAI_API_KEY; // offline, whatever the environment says
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT; // untraced, unless the test says otherwise
  Object.assign(env, extraEnv);
  const child = spawn(
    `${root}node_modules/.bin/tsx`,
    ['--tsconfig', 'examples/tsconfig.json', 'examples/node-server/main.ts'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await readyUrl(child);

  const modelCalls = async (): Promise<ModelCall[]> => {
    const response = await fetch(new URL('api/offline/model-requests', url));
    return (await response.json()) as ModelCall[];
  };
  return {
    url,
    modelCalls,
    async settledModelCall(index) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const call = (await modelCalls())[index];
        if (call?.closedAt !== undefined) return call;
        if (Date.now() > deadline)
          throw new Error(`Model call ${index} did not end within 5 s: ${JSON.stringify(call)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Server ready at (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`The example server exited (${code}) before it was ready:\n${output}`)),
    );
    setTimeout(() => reject(new Error(`The example server was not ready within 20 s:\n${output}`)), 20_000).unref();
  });
}

/**
 * Chromium (`CHROMIUM_PATH`, Debian's, or the one from npm: see `chromium.ts`), headless. The
 * background-networking flags keep it from dialling out, which a closed network answers by
 * refusing connections.
 */
export function launchChromium(): Promise<Browser> {
  const binary = findChromium();
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  return chromium.launch({
    executablePath: binary.executablePath,
    args: [...new Set([...binary.args, ...flags])],
    ...(binary.env === undefined ? {} : { env: { ...process.env, ...binary.env } }),
  });
}

/** What the page shows at one moment. */
export interface Snapshot {
  readonly answer: string;
  readonly status: string;
  readonly destination: string;
  readonly reason: string;
}

/**
 * Records a snapshot of the page after every change to it (a MutationObserver on the body), so a
 * test can tell the states the answer went through, not only where it ended.
 */
export async function recordSnapshots(page: Page): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  await page.exposeFunction('recordSnapshot', (snapshot: Snapshot) => {
    const last = snapshots.at(-1);
    if (last === undefined || JSON.stringify(last) !== JSON.stringify(snapshot)) snapshots.push(snapshot);
  });
  await page.evaluate(() => {
    const text = (selector: string): string => document.querySelector(selector)?.textContent?.trim() ?? '';
    const record = (window as unknown as { recordSnapshot: (snapshot: Snapshot) => void }).recordSnapshot;
    new MutationObserver(() =>
      record({
        answer: text('#answer'),
        status: text('#status'),
        destination: text('#destination'),
        reason: text('#reason'),
      }),
    ).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return snapshots;
}

/** The distinct values of `field` while the run was streaming, in order. */
export function streamingStates(snapshots: readonly Snapshot[], field: keyof Snapshot): string[] {
  const states: string[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.status !== 'Streaming…' || snapshot[field] === '' || snapshot[field] === states.at(-1)) continue;
    states.push(snapshot[field]);
  }
  return states;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
}
