/**
 * What a model's raw events tell of its response that the runner's `response` does not: the model
 * that answered, why it stopped, and the cached and reasoning tokens. Read from the two OpenAI
 * APIs' shapes (a custom model's events are not read).
 *
 * Internal to `src/otel/`.
 */
export class ResponseDetails {
  model: string | undefined;
  readonly finishReasons: string[] = [];
  cachedInputTokens: number | undefined;
  reasoningTokens: number | undefined;

  /** Reads one raw event; most are passed over at the cost of a type check. */
  read(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const event = data as { type?: unknown; object?: unknown };
    if (event.object === 'chat.completion.chunk') this.#chatChunk(data);
    else if (
      event.type === 'response.completed' ||
      event.type === 'response.incomplete' ||
      event.type === 'response.failed' ||
      event.type === 'response.created'
    ) {
      this.#response((data as { response?: ResponsesResponse }).response);
    }
  }

  #chatChunk(chunk: ChatChunk): void {
    if (this.model === undefined && typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
    const choices: unknown = chunk.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices as readonly ({ readonly finish_reason?: unknown } | null)[]) {
        const reason = choice?.finish_reason;
        if (typeof reason === 'string') this.finishReasons.push(reason);
      }
    }
    const usage = chunk.usage;
    if (typeof usage === 'object' && usage !== null) {
      this.#tokens(usage.prompt_tokens_details?.cached_tokens, usage.completion_tokens_details?.reasoning_tokens);
    }
  }

  #response(response: ResponsesResponse | undefined): void {
    if (typeof response !== 'object' || response === null) return;
    if (typeof response.model === 'string' && response.model !== '') this.model = response.model;
    const { status } = response;
    if (status === 'completed') {
      const output: unknown = response.output;
      const calls =
        Array.isArray(output) &&
        (output as readonly ({ readonly type?: unknown } | null)[]).some((item) => item?.type === 'function_call');
      this.finishReasons.splice(0, this.finishReasons.length, calls ? 'tool_calls' : 'stop');
    } else if (status === 'incomplete' || status === 'failed') {
      const reason = response.incomplete_details?.reason;
      this.finishReasons.splice(0, this.finishReasons.length, typeof reason === 'string' ? reason : status);
    }
    const usage = response.usage;
    if (typeof usage === 'object' && usage !== null) {
      this.#tokens(usage.input_tokens_details?.cached_tokens, usage.output_tokens_details?.reasoning_tokens);
    }
  }

  #tokens(cached: unknown, reasoning: unknown): void {
    if (typeof cached === 'number') this.cachedInputTokens = cached;
    if (typeof reasoning === 'number') this.reasoningTokens = reasoning;
  }
}

/** The parts of a Chat Completions chunk read here; anything may be missing. */
interface ChatChunk {
  readonly model?: unknown;
  readonly choices?: unknown;
  readonly usage?: {
    readonly prompt_tokens_details?: { readonly cached_tokens?: unknown } | null;
    readonly completion_tokens_details?: { readonly reasoning_tokens?: unknown } | null;
  } | null;
}

/** The parts of a Responses API response read here. */
interface ResponsesResponse {
  readonly model?: unknown;
  readonly status?: unknown;
  readonly output?: unknown;
  readonly incomplete_details?: { readonly reason?: unknown } | null;
  readonly usage?: {
    readonly input_tokens_details?: { readonly cached_tokens?: unknown } | null;
    readonly output_tokens_details?: { readonly reasoning_tokens?: unknown } | null;
  } | null;
}
