import { assertInInjectionContext, computed, DestroyRef, inject, signal } from '@angular/core';
import { catchError, connect, EMPTY, ignoreElements, merge, tap, type Observable, type Subscription } from 'rxjs';
import type { DeepPartial } from '../deepPartial.js';
import { InvalidArgumentError } from '../errors.js';
import type { RunEvent } from '../events.js';
import { fromServerSentEvents } from '../interop/fromServerSentEvents.js';
import type { AgentChatRequest } from '../runner/chatRequest.js';
import { partialOutput } from '../../operators/partialOutput.js';
import { applyEvent, decide, endWithoutAnswer, initialChatState, startTurn, userItem } from './chatState.js';
import type { AgentChat, AgentChatOptions, ChatMessage, ChatToolMessage } from './chatTypes.js';

/**
 * A chat with an agent, as Angular signals: the conversation, the run's status, its error and its
 * structured answer as it fills in, with `send`, `stop`, `approve`, `reject` and `reload`.
 *
 * <span class="informal">What `resource()` is for one request, this is for a conversation: call
 * it in a component's field initializer, bind its signals in the template, and it cleans up after
 * itself.</span>
 *
 * - Each `send` runs the agent on the whole conversation: the chat keeps the history (a run's
 *   `history`, as `toRunResult()` gives it) and sends it with the next message. A run that was
 *   stopped or failed leaves the user's message in the history, not its partial answer.
 * - A call of a tool that needs approval ends the run with `run-interrupted`; the status is
 *   `'awaiting-approval'`, and once every waiting call has been approved or rejected, the run
 *   resumes from the interrupted state with the decisions.
 * - `stop()`, a new `send`, and the injector's destruction (the component's, with `DestroyRef`)
 *   unsubscribe from the run, which aborts its request.
 * - Signals only: it works zoneless (`provideZonelessChangeDetection()`).
 *
 * With `endpoint`, a run is `POST endpoint` with the {@link AgentChatRequest} as JSON, read with
 * `fromServerSentEvents`; a server answers it with
 * `serveServerSentEvents(res, runStreamed(agent, chatRunInput(agent, body)))`. With `run`, the
 * function gives the run's events, in this process.
 *
 * ## Example
 *
 * ```ts
 * import { Component } from '@angular/core';
 * import { injectAgentChat } from 'rxjs-agents/angular';
 *
 * @Component({
 *   selector: 'app-chat',
 *   template: `
 *     @for (message of chat.messages(); track message.id) { <p>{{ message.role }}: …</p> }
 *     <button (click)="chat.send('Where should I go in May?')">Ask</button>
 *     <button (click)="chat.stop()" [disabled]="chat.status() === 'idle'">Stop</button>
 *   `,
 * })
 * export class ChatComponent {
 *   protected readonly chat = injectAgentChat({ endpoint: '/api/conversation' });
 * }
 * ```
 *
 * @param options `{ endpoint }` (with `headers`, `credentials`) or `{ run }`.
 * @returns The chat.
 * @throws An Angular error (NG0203) outside an injection context; `InvalidArgumentError` for bad
 * options.
 */
export function injectAgentChat<TOutput = string>(options: AgentChatOptions<TOutput>): AgentChat<TOutput> {
  assertInInjectionContext(injectAgentChat);
  const runOf = checkedRun(options);
  const destroyRef = inject(DestroyRef);

  const state = signal(initialChatState);
  const error = signal<unknown>(undefined);
  const partial = signal<DeepPartial<TOutput> | undefined>(undefined);
  let subscription: Subscription | undefined;

  const cancel = (): void => {
    subscription?.unsubscribe();
    subscription = undefined;
  };

  const start = (request: AgentChatRequest): void => {
    cancel();
    error.set(undefined);
    // `connect`: both readers are subscribed before the run starts, so a run that emits
    // synchronously (fakeModel) reaches both.
    subscription = runOf(request)
      .pipe(
        connect((events) =>
          merge(
            events.pipe(tap((event) => state.update((chat) => applyEvent(chat, event)))),
            events.pipe(
              partialOutput<TOutput>(),
              tap((value) => partial.set(value)),
              ignoreElements(),
              // Text answers, and runs that stop for approvals, have no structured output.
              catchError(() => EMPTY),
            ),
          ),
        ),
      )
      .subscribe({
        error: (thrown: unknown) => {
          subscription = undefined;
          error.set(thrown);
          state.update((chat) => endWithoutAnswer(chat, 'error'));
        },
        complete: () => {
          subscription = undefined;
          // A stream that ended with neither an answer nor an interruption.
          state.update((chat) =>
            chat.status === 'streaming' || chat.status === 'running-tools' ? endWithoutAnswer(chat, 'idle') : chat,
          );
        },
      });
  };

  const runTurn = (text: string, keep: number, historyBefore: typeof initialChatState.history): void => {
    cancel();
    partial.set(undefined);
    state.update((chat) => startTurn(chat, text, historyBefore, keep));
    start({ input: [...historyBefore, userItem(text)] });
  };

  const decideCall = (callId: string, approved: boolean, message?: string): void => {
    if (typeof callId !== 'string') {
      throw new InvalidArgumentError({ argument: 'callId', message: 'a call id must be a string.' });
    }
    const decided = decide(state(), { callId, approved, ...(message === undefined ? {} : { message }) });
    state.set(decided.state);
    const interruption = decided.state.interruption;
    if (!decided.ready || interruption === undefined) return;
    state.update((chat) => ({ ...chat, status: 'running-tools', interruption: undefined }));
    start({ state: interruption.state, decisions: interruption.decisions });
  };

  destroyRef.onDestroy(cancel);

  return {
    messages: computed(() => state().messages),
    status: computed(() => state().status),
    error: error.asReadonly(),
    partialOutput: partial.asReadonly(),
    pendingApprovals: computed(() =>
      state().messages.filter(
        (message: ChatMessage): message is ChatToolMessage =>
          message.role === 'tool' && message.status === 'awaiting-approval',
      ),
    ),
    send(text: string) {
      if (typeof text !== 'string') {
        throw new InvalidArgumentError({ argument: 'text', message: 'a message must be a string.' });
      }
      if (text.trim() === '') return;
      if (subscription !== undefined || state().interruption !== undefined) stopRun();
      const chat = state();
      runTurn(text, chat.messages.length, chat.history);
    },
    stop: () => stopRun(),
    approve: (callId: string) => decideCall(callId, true),
    reject: (callId: string, message?: string) => decideCall(callId, false, message),
    reload() {
      const turn = state().lastTurn;
      if (turn === undefined) return;
      runTurn(turn.text, turn.index, turn.historyBefore);
    },
  };

  function stopRun(): void {
    cancel();
    state.update((chat) => endWithoutAnswer(chat, 'idle'));
  }
}

/** The function that starts a run, from the options (checked). */
function checkedRun<TOutput>(
  options: AgentChatOptions<TOutput>,
): (request: AgentChatRequest) => Observable<RunEvent<TOutput>> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'give { endpoint } or { run }.' });
  }
  if (options.run !== undefined) {
    if (typeof options.run !== 'function' || options.endpoint !== undefined) {
      throw new InvalidArgumentError({
        argument: 'options.run',
        message: 'run must be a function, given without endpoint.',
      });
    }
    return options.run;
  }
  const { endpoint, headers, credentials } = options;
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new InvalidArgumentError({ argument: 'options.endpoint', message: 'endpoint must be a non-empty URL.' });
  }
  return (request) =>
    fromServerSentEvents<TOutput>(endpoint, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(request),
      ...(credentials === undefined ? {} : { credentials }),
    });
}
