import type { Subscription } from 'rxjs';
import type { GuardrailEvent } from '../events.js';
import type { StreamGuardrail } from '../guardrails.js';
import { guardrailCheck } from './guardrailCheck.js';
import type { LiveState } from './liveState.js';
import type { RunContext } from './runContext.js';

/** A sentence ends at one of these, followed by white space (or at once, for the CJK ones). */
const sentenceEnd = /[.!?…]/;
const closingMark = /["'”’)\]]/;
const fullWidthEnd = /[。！？]/;
const space = /\s/;

/** One guardrail's progress through a response: where its next check falls, and the check running. */
interface Watch<TContext> {
  readonly guardrail: StreamGuardrail<TContext>;
  /** Characters: the text length at which the next check is due. */
  nextAt: number;
  /** Sentences: ends seen since the last check, and whether the last character may end one. */
  sentences: number;
  afterEnd: boolean;
  /** The text length the last check started with. */
  checkedLength: number;
  running: Subscription | undefined;
  /** A check fell due while one was running: it starts, with the newest text, when that ends. */
  due: boolean;
}

/**
 * The stream guardrails of one model response: told of each delta (`grew`), each starts a check
 * with the response's text so far whenever its cadence is reached (every so many characters or
 * sentences). Checks never hold the stream back: at most one check per guardrail runs at a time,
 * and cadence marks passed meanwhile are checked together, with the newest text, when it ends.
 * When the response completes (`settle`), each guardrail checks the whole text once more unless
 * its last check already had it, and the turn ends when every check has.
 *
 * Each check reports with a `guardrail` event (`emit`); a trip fails the turn (`guardrailCheck`'s
 * error, through `fail`), which unsubscribes the model call: no more tokens are paid for.
 */
/** Where a response's checks belong, and how they report: events into the turn, a trip failing it. */
export interface StreamGuardrailsTurn<TContext> {
  readonly agent: string;
  readonly turn: number;
  readonly state: LiveState;
  readonly run: RunContext<TContext>;
  readonly emit: (event: GuardrailEvent) => void;
  readonly fail: (error: unknown) => void;
}

export class StreamGuardrails<TContext> {
  readonly #watches: Watch<TContext>[];
  readonly #turn: StreamGuardrailsTurn<TContext>;
  readonly #textBefore: number;
  #settled: (() => void) | undefined;

  constructor(guardrails: readonly StreamGuardrail<TContext>[], turn: StreamGuardrailsTurn<TContext>) {
    this.#turn = turn;
    this.#textBefore = turn.state.text.length;
    this.#watches = guardrails.map((guardrail) => ({
      guardrail,
      nextAt: 0,
      sentences: 0,
      afterEnd: false,
      checkedLength: 0,
      running: undefined,
      due: false,
    }));
    this.#reset();
  }

  /** The guardrails of `agent` and its runner, or `undefined` when there are none (no cost per delta). */
  static of<TContext>(
    run: RunContext<TContext>,
    agentGuardrails: readonly StreamGuardrail<TContext>[] | undefined,
  ): readonly StreamGuardrail<TContext>[] | undefined {
    const guardrails = [...run.settings.guardrails.streamGuardrails, ...(agentGuardrails ?? [])];
    return guardrails.length === 0 ? undefined : guardrails;
  }

  /** A delta joined the response's text. */
  grew(delta: string): void {
    const length = this.#length();
    for (const watch of this.#watches) {
      const { every } = watch.guardrail;
      if ('characters' in every) {
        if (length < watch.nextAt) continue;
        watch.nextAt = (Math.floor(length / every.characters) + 1) * every.characters;
      } else {
        watch.sentences += countSentenceEnds(delta, watch);
        if (watch.sentences < every.sentences) continue;
        watch.sentences = 0;
      }
      this.#due(watch);
    }
  }

  /** The call is made again from its start (`turn-restarted`): checks of the dropped text are dropped. */
  restart(): void {
    for (const watch of this.#watches) watch.running?.unsubscribe();
    this.#reset();
  }

  /** The response is complete: `done` runs once the last checks, of the whole text, have passed. */
  settle(done: () => void): void {
    this.#settled = done;
    const length = this.#length();
    for (const watch of this.#watches) {
      if (watch.checkedLength < length) this.#due(watch);
    }
    this.#maybeSettled();
  }

  /** Ends every check still running (the turn ended or was unsubscribed). */
  dispose(): void {
    this.#settled = undefined;
    for (const watch of this.#watches) watch.running?.unsubscribe();
  }

  #reset(): void {
    for (const watch of this.#watches) {
      const { every } = watch.guardrail;
      watch.nextAt = 'characters' in every ? every.characters : 0;
      watch.sentences = 0;
      watch.afterEnd = false;
      watch.checkedLength = 0;
      watch.running = undefined;
      watch.due = false;
    }
  }

  #length(): number {
    return this.#turn.state.text.length - this.#textBefore;
  }

  #due(watch: Watch<TContext>): void {
    if (watch.running) {
      watch.due = true;
      return;
    }
    const { agent, turn, state, run, emit, fail } = this.#turn;
    const text = state.text.value.slice(this.#textBefore);
    watch.checkedLength = text.length;
    watch.due = false;
    const { guardrail } = watch;
    let finished = false;
    const subscription = guardrailCheck(
      {
        name: guardrail.name,
        kind: 'stream',
        agent,
        turn,
        execute: (context) => guardrail.execute(text, context),
      },
      state,
      run,
    ).subscribe({
      next: emit,
      error: fail,
      complete: () => {
        finished = true;
        watch.running = undefined;
        if (watch.due) this.#due(watch);
        else this.#maybeSettled();
      },
    });
    // A check that answered at once (runSync(), a plain value) has finished already.
    if (!finished && !subscription.closed) watch.running = subscription;
  }

  #maybeSettled(): void {
    const done = this.#settled;
    if (!done || this.#watches.some((watch) => watch.running || watch.due)) return;
    this.#settled = undefined;
    done();
  }
}

/** How many sentences `delta` ends, carrying over whether the text before it ended on a full stop. */
function countSentenceEnds(delta: string, watch: { afterEnd: boolean }): number {
  let ends = 0;
  for (const char of delta) {
    if (watch.afterEnd && space.test(char)) {
      ends++;
      watch.afterEnd = false;
    } else if (fullWidthEnd.test(char)) {
      ends++;
      watch.afterEnd = false;
    } else if (sentenceEnd.test(char)) {
      watch.afterEnd = true;
    } else if (!(watch.afterEnd && closingMark.test(char))) {
      watch.afterEnd = false;
    }
  }
  return ends;
}
