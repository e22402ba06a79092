/**
 * The input file of `rxjs-agents batch`, read lazily: one JSON value per non-empty line, taken
 * only when the batch asks for the next item, so a file of millions of lines is never in memory.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AgentsError } from '../errors.js';
import { describeThrown } from '../testing/server/errors.js';

/** The input file could not be read (exit code 2, like a bad argument). */
export class InputFileError extends AgentsError {}

/** A line that is not JSON: reported, then failed as its item (its id is `index`). */
export interface BadLine {
  /** 1-based, as an editor counts. */
  readonly lineNumber: number;
  /** 0-based among non-empty lines: the id of the item that fails. */
  readonly index: number;
  readonly message: string;
}

/** Files up to this size are counted before the batch (one quick read), for a total and an ETA. */
const countableBytes = 8 * 1024 * 1024;

/** Throws {@link InputFileError} unless `path` is a file this process can read. */
export async function checkReadable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputFileError({ message: `${path} is not a file.` });
    await (await open(path, 'r')).close();
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError({ message: `cannot read ${path}: ${messageOf(error)}`, cause: error });
  }
}

/** An fs error's message (`ENOENT: no such file or directory, stat 'x'`) without its class name. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : describeThrown(error);
}

/**
 * The number of non-empty lines, for a file small enough to read twice cheaply; `undefined` for a
 * bigger one (its progress has no total and no ETA, rather than a second pass over the file).
 */
export async function countItems(path: string): Promise<number | undefined> {
  if ((await stat(path)).size > countableBytes) return undefined;
  let count = 0;
  for await (const line of lines(path)) if (line.trim() !== '') count += 1;
  return count;
}

function lines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/**
 * Each non-empty line of `path` parsed as JSON, read as the consumer asks (node:readline over a
 * read stream). A line that is not JSON is told to `onBadLine` and given as a value that is not
 * an item, so the batch fails that item (id: its index) and goes on. Stopping early (`return()`)
 * closes the file.
 */
export async function* readJsonLines(path: string, onBadLine: (bad: BadLine) => void): AsyncGenerator<unknown> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  let index = 0;
  try {
    for await (const line of readLines(reader, path)) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        onBadLine({ lineNumber, index, message: describeThrown(error) });
        value = { notJson: lineNumber };
      }
      index += 1;
      yield value;
    }
  } finally {
    reader.close();
    stream.destroy();
  }
}

/** The lines, with a read error (the file vanished, a disk error) named as the input's. */
async function* readLines(reader: AsyncIterable<string>, path: string): AsyncGenerator<string> {
  try {
    yield* reader;
  } catch (error) {
    throw new InputFileError({ message: `cannot read ${path}: ${messageOf(error)}`, cause: error });
  }
}
