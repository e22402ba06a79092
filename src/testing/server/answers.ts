/**
 * Where each request's turn comes from: the scripted turns first, in order, then the one responder
 * (`respond`, `echo` or `fixture`), if the options name one. Every turn is checked before it is
 * served; what a responder throws is kept, to be reported, and never escapes.
 */
import { InvalidArgumentError } from '../../errors.js';
import { checkScript, type ScriptedTurn, type ServerTurn } from '../script.js';
import { describeThrown } from './errors.js';
import { echo } from './echo.js';
import { fixtureResponder } from './fixtureResponder.js';
import { readRequest, type ServerApi } from './request.js';
import type { BatchLineRef, Responder, ServerOptions } from './types.js';

/** The turn for one request, or why there is none. */
export type Answer =
  | { readonly kind: 'turn'; readonly turn: ScriptedTurn }
  | { readonly kind: 'exhausted'; readonly scripted: number }
  | { readonly kind: 'failed'; readonly message: string };

/** A model request, as `next` needs it. */
export interface AnswerRequest {
  readonly api: ServerApi;
  /** 1-based, among the server's model requests. */
  readonly index: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The items the server keeps that the request continues from (Responses API only). */
  readonly stored?: readonly unknown[];
  /** The batch line the request answers, when the server asked itself. */
  readonly batch?: BatchLineRef;
}

/** The source of a server's turns. */
export interface Answers {
  push(turns: readonly ServerTurn[]): void;
  next(request: AnswerRequest): Promise<Answer>;
  /** What the responder threw, in request order. */
  readonly errors: readonly unknown[];
}

/** The one responder the options name, checked: at most one of `respond`, `echo` and `fixture`. */
function responderOf(options: ServerOptions): Responder | undefined {
  const named = (['respond', 'echo', 'fixture'] as const).filter(
    (key) => options[key] !== undefined && options[key] !== false,
  );
  if (named.length > 1) {
    throw new InvalidArgumentError({
      argument: `options.${named[1]}`,
      message: `give one way to answer after the scripted turns: ${named.join(' and ')} were both given.`,
    });
  }
  if (options.respond !== undefined) {
    if (typeof options.respond !== 'function') {
      throw new InvalidArgumentError({
        argument: 'options.respond',
        message: `a function of the request that returns a turn; got ${typeof options.respond}.`,
      });
    }
    return options.respond;
  }
  if (options.echo === true) return echo;
  if (options.fixture !== undefined) {
    const files = Array.isArray(options.fixture) ? options.fixture : [options.fixture as string | URL];
    return fixtureResponder(files);
  }
  return undefined;
}

function withDelay(turn: ScriptedTurn, delayMs: number | undefined): ScriptedTurn {
  return delayMs === undefined || turn.delayMs !== undefined ? turn : { ...turn, delayMs };
}

/** The turns of a server started with `options`; throws `InvalidArgumentError` for bad options. */
export function answersFor(options: ServerOptions): Answers {
  const { delayMs } = options;
  if (delayMs !== undefined && !(typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new InvalidArgumentError({
      argument: 'options.delayMs',
      message: `a number of milliseconds ≥ 0; got ${String(delayMs)}.`,
    });
  }
  const scripted: ScriptedTurn[] = checkScript(options.turns ?? [], 'server', 'options.turns');
  const responder = responderOf(options);
  const errors: unknown[] = [];
  let pushed = scripted.length;

  return {
    errors,
    push(turns) {
      scripted.push(...checkScript(turns, 'server', 'push'));
      pushed += turns.length;
    },
    async next(request) {
      const turn = scripted.shift();
      if (turn !== undefined) return { kind: 'turn', turn: withDelay(turn, delayMs) };
      if (responder === undefined) return { kind: 'exhausted', scripted: pushed };
      const { index } = request;
      try {
        const answer = await responder(
          readRequest(request.api, request.body, index, request.headers, request.stored, request.batch),
        );
        const [checked] = checkScript([answer], 'server', `respond(request ${index})`);
        return { kind: 'turn', turn: withDelay(checked ?? {}, delayMs) };
      } catch (error) {
        errors.push(error);
        return { kind: 'failed', message: describeThrown(error) };
      }
    },
  };
}
