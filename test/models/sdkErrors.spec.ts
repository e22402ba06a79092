import { describe, expect, it } from 'vitest';
import { ModelProviderError } from '../../src/errors.js';
import { toModelProviderError } from '../../src/models/providerErrors.js';
import { sdkErrorKind } from '../../src/models/sdkErrors.js';

/**
 * The error classes of another copy of the `openai` SDK (the user's own, another major): the same
 * shape and class names as ours, but other classes, so `instanceof` against ours is false.
 */
function otherCopyOfTheSdk() {
  class OpenAIError extends Error {}
  class APIError extends OpenAIError {
    readonly status: number | undefined;
    readonly headers: Headers | undefined;
    readonly error: unknown;
    readonly code: unknown;
    constructor(
      status: number | undefined,
      error: { message?: string; code?: string } | undefined,
      message: string,
      headers: Headers | undefined,
    ) {
      super(status === undefined ? (error?.message ?? message) : `${status} ${error?.message ?? message}`);
      this.status = status;
      this.headers = headers;
      this.error = error;
      this.code = error?.code;
    }
  }
  class RateLimitError extends APIError {}
  class APIConnectionError extends APIError {
    constructor({ message, cause }: { message?: string; cause?: Error }) {
      super(undefined, undefined, message ?? 'Connection error.', undefined);
      if (cause) this.cause = cause;
    }
  }
  class APIConnectionTimeoutError extends APIConnectionError {
    constructor() {
      super({ message: 'Request timed out.' });
    }
  }
  return { APIError, RateLimitError, APIConnectionError, APIConnectionTimeoutError };
}

const sdk = otherCopyOfTheSdk();
const rateLimited = () =>
  new sdk.RateLimitError(
    429,
    { message: 'Rate limit reached.', code: 'rate_limit_exceeded' },
    '',
    new Headers({ 'retry-after': '2' }),
  );

describe('errors of another copy of the openai SDK', () => {
  it('a 429 becomes a retryable ModelProviderError with its status, code and Retry-After', () => {
    const error = toModelProviderError(rateLimited(), 'OpenAI Responses API');
    expect(ModelProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, retryable: true, code: 'rate_limit_exceeded', retryAfterMs: 2000 });
    expect(error.message).toBe('OpenAI Responses API request failed: 429 Rate limit reached.');
  });

  it('a connection error names the base URL and the cause, and is retryable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = toModelProviderError(new sdk.APIConnectionError({ cause: refused }), 'OpenAI Chat Completions API', {
      baseURL: 'http://user:pw@127.0.0.1:9/v1?x=1',
    });
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toBe(
      'OpenAI Chat Completions API connection failed: could not reach http://127.0.0.1:9/v1 (connect ECONNREFUSED 127.0.0.1:9).',
    );
  });

  it('a timeout says so', () => {
    const error = toModelProviderError(new sdk.APIConnectionTimeoutError(), 'OpenAI Responses API');
    expect(error.message).toBe('OpenAI Responses API request to the API timed out: Request timed out.');
    expect(error).toMatchObject({ retryable: true });
  });

  it('an error event inside the stream keeps the provider code', () => {
    const inStream = new sdk.APIError(undefined, { message: 'Slow down.', code: 'rate_limit_exceeded' }, '', undefined);
    expect(toModelProviderError(inStream, 'OpenAI Responses API')).toMatchObject({
      message: 'OpenAI Responses API error: Slow down.',
      code: 'rate_limit_exceeded',
      retryable: true,
    });
  });

  it('is told by its fields when a minifier renamed the classes', () => {
    const renamed = (error: Error): Error => {
      Object.setPrototypeOf(error, Object.create(Error.prototype, { constructor: { value: class a {} } }));
      return error;
    };
    expect(sdkErrorKind(renamed(rateLimited()))).toBe('api');
    expect(sdkErrorKind(renamed(new sdk.APIConnectionError({})))).toBe('connection');
    expect(sdkErrorKind(renamed(new sdk.APIConnectionTimeoutError()))).toBe('timeout');
  });

  it('leaves errors that are not the SDK’s alone', () => {
    expect(sdkErrorKind(new TypeError('terminated'))).toBeUndefined();
    expect(
      sdkErrorKind(Object.assign(new Error('x'), { status: 'bad', headers: undefined, error: undefined })),
    ).toBeUndefined();
    expect(sdkErrorKind({ status: 429, headers: undefined, error: {} })).toBeUndefined();
  });
});
