/**
 * A bare Chat Completions server in a child process, for what the local server cannot send: an
 * event nested too deeply for `JSON.stringify` (or the IPC that scripts `startServerProcess`), or
 * hundreds of megabytes of text. The child builds the stream itself from a small plan and answers
 * every request with it. It runs in another process because `runSync()` blocks this thread.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface RawSsePlan {
  /** A chunk after the first text delta carries a field nested this many levels deep. */
  readonly nestedDepth?: number;
  /** Then this many text deltas of `bigDeltaChars` characters each. */
  readonly bigDeltas?: number;
  readonly bigDeltaChars?: number;
}

export interface RawSseProcess {
  readonly url: string;
  close(): Promise<void>;
}

const child = `
const http = require('node:http');
const plan = JSON.parse(process.env.RAW_SSE_PLAN);
const head = '{"id":"chatcmpl-raw","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":';
const chunk = (delta, finish, extra = '') =>
  head + JSON.stringify(delta) + ',"finish_reason":' + JSON.stringify(finish) + '}]' + extra + '}';
const lines = [chunk({ role: 'assistant', content: 'Hi' }, null)];
if (plan.nestedDepth) {
  const d = plan.nestedDepth;
  lines.push(chunk({ content: '!' }, null, ',"nested":' + '{"a":'.repeat(d) + '1' + '}'.repeat(d)));
}
for (let i = 0; i < (plan.bigDeltas ?? 0); i += 1) lines.push(chunk({ content: String(i % 10).repeat(plan.bigDeltaChars) }, null));
lines.push(chunk({}, 'stop'));
lines.push('{"id":"chatcmpl-raw","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}');
const body = lines.map((line) => 'data: ' + line + '\\n\\n').join('') + 'data: [DONE]\\n\\n';
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

/** Starts the server; resolves once it listens. */
export function startRawSseProcess(plan: RawSsePlan): Promise<RawSseProcess> {
  const process_: ChildProcess = spawn(process.execPath, ['-e', child], {
    env: { ...process.env, RAW_SSE_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    process_.once('exit', (code) => reject(new Error(`The raw SSE server exited (code ${code}) before it listened.`)));
    process_.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      if (!out.includes('\n')) return;
      resolve({
        url: `http://127.0.0.1:${out.trim()}/v1`,
        close: () =>
          new Promise<void>((done) => {
            if (process_.exitCode !== null || process_.signalCode !== null) return done();
            process_.once('exit', () => done());
            process_.kill();
          }),
      });
    });
  });
}
