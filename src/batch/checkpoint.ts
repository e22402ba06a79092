import { InvalidArgumentError } from '../errors.js';
import type { Usage } from '../usage.js';
import type { BatchItemError } from './batchTypes.js';

/** One finished item, as a checkpoint records it. */
export type BatchRecord =
  | { readonly id: string; readonly status: 'completed'; readonly finalOutput: unknown; readonly usage: Usage }
  | { readonly id: string; readonly status: 'failed'; readonly error: BatchItemError; readonly usage: Usage };

/**
 * What a checkpoint holds: finished items, and, with the Batch API engine (`openAIBatch`), the
 * jobs it submitted, so that a batch started again polls them instead of paying for their
 * requests twice.
 */
export type CheckpointRecord = BatchRecord | BatchJobRecord;

/** A job the Batch API engine submitted: its id, and its input file (which names its requests). */
export interface BatchJobRecord {
  readonly type: 'batch-job';
  readonly job: string;
  readonly inputFileId: string;
}

/** Whether `record` is a submitted job's, rather than an item's. */
export function isJobRecord(record: CheckpointRecord): record is BatchJobRecord {
  return (record as { type?: unknown }).type === 'batch-job';
}

/**
 * Where a batch records its finished items, so that it can go on after a stop or a crash: `read`
 * once before the first item starts (the ids it gives are skipped), `append` once per finished
 * item — the item's event is emitted when its Promise resolves, so whatever a consumer saw is saved
 * — and once per job the Batch API engine submits.
 */
export interface BatchCheckpoint {
  /** The records saved so far (none for a new batch). */
  read(): Promise<readonly CheckpointRecord[]> | readonly CheckpointRecord[];
  /**
   * Saves one finished item (the batch emits its event when this resolves), or a submitted job
   * (the batch polls it when this resolves); the batch fails if it rejects.
   */
  append(record: CheckpointRecord): Promise<void> | void;
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
      const records: CheckpointRecord[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const record = JSON.parse(line) as CheckpointRecord;
          if (
            typeof record === 'object' &&
            record !== null &&
            (typeof (record as { id?: unknown }).id === 'string' || isJobRecord(record))
          ) {
            records.push(record);
          }
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
