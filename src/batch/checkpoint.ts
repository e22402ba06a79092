import { InvalidArgumentError } from '../errors.js';
import type { Usage } from '../usage.js';
import type { BatchItemError } from './batchTypes.js';

/** One finished item, as a checkpoint records it. */
export type BatchRecord =
  | { readonly id: string; readonly status: 'completed'; readonly finalOutput: unknown; readonly usage: Usage }
  | { readonly id: string; readonly status: 'failed'; readonly error: BatchItemError; readonly usage: Usage };

/**
 * Where a batch records its finished items, so that it can go on after a stop or a crash: `read`
 * once before the first item starts (the ids it gives are skipped), `append` once per finished
 * item — the item's event is emitted when its Promise resolves, so whatever a consumer saw is saved.
 */
export interface BatchCheckpoint {
  /** The records saved so far (none for a new batch). */
  read(): Promise<readonly BatchRecord[]> | readonly BatchRecord[];
  /** Saves one finished item; the batch emits its event when this resolves, and fails if it rejects. */
  append(record: BatchRecord): Promise<void> | void;
}

/** The part of `node:fs` a JSON Lines checkpoint uses. */
interface FileSystem {
  readonly promises: {
    readFile(path: string, encoding: 'utf8'): Promise<string>;
    appendFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  };
}

/**
 * A checkpoint in a JSON Lines file: one record per line, appended as each item finishes. A file
 * that does not exist is an empty checkpoint; a last line cut short by a crash is passed over (and
 * the next record starts on a line of its own). Node only: `node:fs` is reached through
 * `process.getBuiltinModule`, so the main entry stays browser-safe.
 *
 * @param path The file, for example `'results.jsonl'`.
 */
export function jsonLinesCheckpoint(path: string): BatchCheckpoint {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError({ argument: 'checkpoint', message: 'a checkpoint file must be a non-empty path.' });
  }
  let endsMidLine = false;
  let writes: Promise<void> = Promise.resolve();
  return {
    async read() {
      let text: string;
      try {
        text = await fileSystem().promises.readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return [];
        throw error;
      }
      endsMidLine = text !== '' && !text.endsWith('\n');
      const records: BatchRecord[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const record = JSON.parse(line) as BatchRecord;
          if (typeof record?.id === 'string') records.push(record);
        } catch {
          // The line a crash cut short: its item is run again.
        }
      }
      return records;
    },
    append(record) {
      const line = `${endsMidLine ? '\n' : ''}${JSON.stringify(record)}\n`;
      endsMidLine = false;
      // One append at a time, in order: lines never interleave.
      writes = writes.then(() => fileSystem().promises.appendFile(path, line, 'utf8'));
      return writes;
    },
  };
}

function fileSystem(): FileSystem {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = processLike?.getBuiltinModule?.('node:fs') as FileSystem | undefined;
  if (!fs) {
    throw new InvalidArgumentError({
      argument: 'checkpoint',
      message: 'a checkpoint file needs Node (node:fs); elsewhere give a BatchCheckpoint object.',
    });
  }
  return fs;
}
