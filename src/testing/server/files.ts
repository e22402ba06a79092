/**
 * The local server's Files API, in memory and per server, as `client.files.*` of the `openai` SDK
 * (6 and 7) calls it: a multipart upload (`create`), `retrieve`, `content` (the exact bytes
 * uploaded), `list` (newest first, by cursor) and `delete`. The Batch API reads its input files
 * here and writes its output and error files here (`purpose: 'batch_output'`).
 */
import type { FileObject } from 'openai/resources/files';
import type { JsonAnswer } from './conversations.js';
import { cursorPage } from './cursorPage.js';
import { errorBody } from './respond.js';

/** A file's bytes, for `GET /v1/files/{id}/content`. */
export interface BytesAnswer {
  readonly status: 200;
  readonly bytes: Buffer;
}

/** A stored file: the object the API shows, and its bytes. */
export interface StoredFile {
  readonly object: FileObject;
  readonly content: Buffer;
}

/** What an upload was, for the request's record (`RecordedRequest.body`). */
export interface UploadSummary {
  readonly purpose: string | undefined;
  readonly file?: { readonly filename: string; readonly bytes: number };
}

const purposes: readonly string[] = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

/** Files with `purpose: 'batch'` expire after 30 days unless `expires_after` says otherwise. */
const batchFileLifeSeconds = 30 * 24 * 3600;

const badRequest = (message: string, param: string): JsonAnswer => ({
  status: 400,
  body: errorBody(400, message, null, param),
});

/** Now, in the API's Unix seconds. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The files of one server. */
export class FileStore {
  readonly #files = new Map<string, StoredFile>();
  readonly #maxBatchBytes: number;
  #count = 0;

  /** `maxBatchBytes`: the largest upload with `purpose: 'batch'`. */
  constructor(maxBatchBytes: number) {
    this.#maxBatchBytes = maxBatchBytes;
  }

  get(id: string): StoredFile | undefined {
    return this.#files.get(id);
  }

  /** Stores a file the server made (a batch's output or error file); returns its object. */
  add(content: Buffer, filename: string, purpose: FileObject['purpose']): FileObject {
    return this.#store(content, filename, purpose, undefined);
  }

  #store(
    content: Buffer,
    filename: string,
    purpose: FileObject['purpose'],
    lifeSeconds: number | undefined,
  ): FileObject {
    const created = unixSeconds();
    const object: FileObject = {
      id: `file-${(this.#count += 1)}`,
      object: 'file',
      bytes: content.length,
      created_at: created,
      filename,
      purpose,
      status: 'processed',
      ...(lifeSeconds === undefined ? {} : { expires_at: created + lifeSeconds }),
    };
    this.#files.set(object.id, { object, content });
    return object;
  }

  /**
   * Answers `POST /v1/files`: a `multipart/form-data` body (parsed by the web `Request`'s
   * `formData()`) with `file`, `purpose` and, optionally, `expires_after[seconds]`. A batch file
   * must be `.jsonl` and at most `maxBatchBytes`; what is wrong answers 400 naming the field.
   */
  async upload(contentType: string, raw: Buffer): Promise<JsonAnswer & { readonly summary: UploadSummary }> {
    let form: FormData;
    try {
      form = await new Request('http://localhost/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: new Blob([new Uint8Array(raw)]),
      }).formData();
    } catch (error) {
      const answer = badRequest(`The upload is not a multipart/form-data body: ${String(error)}`, 'file');
      return { ...answer, summary: { purpose: undefined } };
    }
    const purpose = form.get('purpose');
    const file = form.get('file');
    const summary: UploadSummary = {
      purpose: typeof purpose === 'string' ? purpose : undefined,
      ...(typeof file === 'object' && file !== null ? { file: { filename: file.name, bytes: file.size } } : {}),
    };
    const answer = await this.#uploaded(purpose, file, form.get('expires_after[seconds]'));
    return { ...answer, summary };
  }

  async #uploaded(purpose: unknown, file: unknown, seconds: unknown): Promise<JsonAnswer> {
    if (typeof purpose !== 'string' || !purposes.includes(purpose)) {
      return badRequest(`purpose must be one of ${purposes.join(', ')}; got ${String(purpose)}.`, 'purpose');
    }
    if (!(file instanceof Blob)) return badRequest("The upload has no 'file' part.", 'file');
    const filename = file instanceof File ? file.name : 'upload';
    if (purpose === 'batch' && !filename.endsWith('.jsonl')) {
      return badRequest(`Invalid file format for Batch API. Must be .jsonl; got '${filename}'.`, 'file');
    }
    if (purpose === 'batch' && file.size > this.#maxBatchBytes) {
      const message = `File is too large: ${file.size} bytes; a batch input file may be at most ${this.#maxBatchBytes} bytes.`;
      return badRequest(message, 'file');
    }
    let life = purpose === 'batch' ? batchFileLifeSeconds : undefined;
    if (seconds !== null) {
      life = Number(seconds);
      if (!Number.isInteger(life) || life < 3600 || life > batchFileLifeSeconds) {
        return badRequest(
          `expires_after.seconds must be from 3600 to 2592000; got ${JSON.stringify(seconds)}.`,
          'expires_after',
        );
      }
    }
    const content = Buffer.from(await file.arrayBuffer());
    return { status: 200, body: this.#store(content, filename, purpose as FileObject['purpose'], life) };
  }

  /**
   * Answers a request to `/v1/files…` other than the upload, or `undefined` when `path` is not one
   * of the Files API's.
   */
  answer(method: string, path: string, query: URLSearchParams): JsonAnswer | BytesAnswer | undefined {
    const match = /^(?:\/v1)?\/files(?:\/([^/]+)(\/content)?)?$/.exec(path);
    if (match === null) return undefined;
    const [, rawId, content] = match;
    if (rawId === undefined) return method === 'GET' ? this.#list(query) : undefined;
    const id = decodeURIComponent(rawId);
    const file = this.#files.get(id);
    if (file === undefined) {
      return { status: 404, body: errorBody(404, `No such File object: ${id}`, null, 'id') };
    }
    if (content !== undefined) return method === 'GET' ? { status: 200, bytes: file.content } : undefined;
    if (method === 'GET') return { status: 200, body: file.object };
    if (method === 'DELETE') {
      this.#files.delete(id);
      return { status: 200, body: { id, object: 'file', deleted: true } };
    }
    return undefined;
  }

  /** `GET /v1/files`: `purpose` filters, `order` is `desc` (newest first, the default) or `asc`. */
  #list(query: URLSearchParams): JsonAnswer {
    const order = query.get('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') return badRequest(`order must be asc or desc; got ${order}.`, 'order');
    const purpose = query.get('purpose');
    const files = [...this.#files.values()]
      .map((file) => file.object)
      .filter((file) => purpose === null || file.purpose === purpose);
    if (order === 'desc') files.reverse();
    return cursorPage(files, query, 10_000, 10_000);
  }
}
