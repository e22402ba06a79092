/**
 * The package as a user gets it: packed, installed into an empty project, imported from plain
 * Node ESM. Needs `npm run build` first (`npm test` builds before it runs the tests).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
let project: string;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'rxjs-agents-install-'));
  npm(['pack', '--pack-destination', project, '--silent'], root);
  const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  const { devDependencies } = JSON.parse(
    execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: root, encoding: 'utf8' }),
  ) as {
    devDependencies: Record<string, string>;
  };
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `./${tarball}`,
      `rxjs@${devDependencies.rxjs}`,
      `zod@${devDependencies.zod}`,
    ],
    project,
  );
}, 180_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function runModule(source: string): string {
  const file = join(project, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  return execFileSync('node', [file], { cwd: project, encoding: 'utf8' }).trim();
}

describe('the packed package', () => {
  it('imports every entry point from plain Node ESM', () => {
    const out = runModule(`
      import * as main from 'rxjs-agents';
      import * as operators from 'rxjs-agents/operators';
      import * as testing from 'rxjs-agents/testing';
      import * as server from 'rxjs-agents/testing/server';
      import * as node from 'rxjs-agents/node';
      console.log(JSON.stringify({
        main: Object.keys(main).sort(), operators: Object.keys(operators).sort(),
        testing: Object.keys(testing).sort(), server: Object.keys(server).sort(), node: Object.keys(node).sort(),
      }));
    `);
    const entries = JSON.parse(out) as Record<string, string[]>;
    expect(entries.main).toEqual(
      expect.arrayContaining([
        'Agent',
        'tool',
        'run',
        'runSync',
        'runStreamed',
        'Runner',
        'AgentsError',
        'OpenAIResponsesModel',
        'OpenAIChatCompletionsModel',
      ]),
    );
    expect(entries.operators).toEqual(expect.arrayContaining(['filterTextDeltas', 'bufferTokens', 'toFinalOutput']));
    expect(entries.testing).toEqual(expect.arrayContaining(['fakeModel']));
    expect(entries.server).toEqual(expect.arrayContaining(['startServer']));
    expect(entries.node?.length).toBeGreaterThan(0);
  });

  it('runs an agent in all three modes with fakeModel', () => {
    const out = runModule(`
      import { z } from 'zod';
      import { lastValueFrom } from 'rxjs';
      import { Agent, run, runSync, runStreamed } from 'rxjs-agents';
      import { filterTextDeltas, toFinalOutput } from 'rxjs-agents/operators';
      import { fakeModel } from 'rxjs-agents/testing';
      const agent = (model) => new Agent({ name: 'Travel', model, outputType: z.object({ city: z.string() }) });
      const script = () => fakeModel([{ output: { city: 'Lisbon' } }]);
      const sync = runSync(agent(script()), 'Where?').finalOutput;
      const asyncResult = (await run(agent(script()), 'Where?')).finalOutput;
      const streamed = await lastValueFrom(runStreamed(agent(script()), 'Where?').pipe(toFinalOutput()));
      console.log(JSON.stringify([sync, asyncResult, streamed]));
    `);
    expect(JSON.parse(out)).toEqual([{ city: 'Lisbon' }, { city: 'Lisbon' }, { city: 'Lisbon' }]);
  });
});
