/**
 * How the server answers a batch's lines: it posts each line's body to its own endpoint over
 * loopback, so a line is answered exactly as a direct request would be (scripted turns,
 * responder, stored responses, faults) and is recorded like one. The request carries a secret of
 * this server's, so only its own requests are taken for batch lines (and left out of the rate
 * budget); its keep-alive agent is destroyed on close, leaving no socket behind.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { LineAnswer, PostLine } from './batches.js';
import type { BatchLineRef } from './types.js';

const secretHeader = 'x-rxjs-agents-batch-line';
const batchHeader = 'x-rxjs-agents-batch-id';
const customIdHeader = 'x-rxjs-agents-custom-id';

/** Posts batch lines to the server at `origin` (`http://host:port`) and recognizes them there. */
export interface SelfPost {
  readonly post: PostLine;
  /** The batch line a request is, when it carries this server's secret. */
  lineOf(headers: Readonly<Record<string, string | string[] | undefined>>): BatchLineRef | undefined;
  close(): void;
}

export function selfPost(origin: () => string): SelfPost {
  const secret = randomUUID();
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const post: PostLine = (endpoint, body, ref) =>
    new Promise<LineAnswer>((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = request(
        `${origin()}${endpoint}`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
            [secretHeader]: secret,
            [batchHeader]: encodeURIComponent(ref.id),
            [customIdHeader]: encodeURIComponent(ref.customId),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 500;
            try {
              resolve({ status, body: raw === '' ? null : JSON.parse(raw) });
            } catch {
              reject(new Error(`the answer (HTTP ${status}) is not JSON: ${raw.slice(0, 80)}`));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  return {
    post,
    lineOf(headers) {
      if (headers[secretHeader] !== secret) return undefined;
      const id = headers[batchHeader];
      const customId = headers[customIdHeader];
      if (typeof id !== 'string' || typeof customId !== 'string') return undefined;
      return { id: decodeURIComponent(id), customId: decodeURIComponent(customId) };
    },
    close() {
      agent.destroy();
    },
  };
}
