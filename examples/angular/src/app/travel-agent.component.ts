import { CurrencyPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  catchError,
  defaultIfEmpty,
  EMPTY,
  filter,
  map,
  of,
  share,
  startWith,
  Subject,
  switchMap,
  takeUntil,
  type Observable,
} from 'rxjs';
import type { DeepPartial, RunEvent } from 'rxjs-agents';
import { accumulateText, partialOutput } from 'rxjs-agents/operators';
import type { Recommendation } from './recommendation';
import { TravelAgentService } from './travel-agent.service';

type Run = Observable<RunEvent<Recommendation>>;

type RunStatus =
  | { readonly state: 'idle' | 'streaming' | 'done' | 'cancelled' }
  | { readonly state: 'failed'; readonly message: string };

/**
 * Ask the travel agent; watch its answer stream in and its recommendation fill in field by field.
 *
 * Every run ends with the component: the bindings are `toSignal`s, which unsubscribe when the
 * component is destroyed, and the run's request is aborted when its last binding lets go.
 */
@Component({
  selector: 'app-travel-agent',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CurrencyPipe],
  template: `
    <form (submit)="$event.preventDefault(); ask(questionBox.value)">
      <label for="question">Your trip</label>
      <textarea #questionBox id="question" rows="3" required maxlength="2000" [value]="defaultQuestion"></textarea>
      <div class="actions">
        <button type="submit">Ask</button>
        <button type="button" id="cancel" (click)="cancel()" [disabled]="status().state !== 'streaming'">Cancel</button>
        <p id="status" role="status" aria-live="polite">{{ statusText() }}</p>
      </div>
    </form>

    <section>
      <h2>Streaming answer</h2>
      <p class="hint">The model's structured answer, JSON as it arrives.</p>
      <pre id="answer">{{ answer() }}</pre>
    </section>

    @if (failure(); as message) {
      <p id="error" role="alert">The agent could not answer: {{ message }}</p>
    }

    @if (recommendation(); as r) {
      <section id="result" [class.final]="status().state === 'done'">
        <h2>
          Recommendation
          <span class="badge">{{
            status().state === 'done' ? 'final' : status().state === 'streaming' ? 'filling in…' : 'incomplete'
          }}</span>
        </h2>
        <dl>
          <dt>Destination</dt>
          <dd id="destination">{{ r.destination }}</dd>
          <dt>Why</dt>
          <dd id="reason">{{ r.reason }}</dd>
          <dt>Best season</dt>
          <dd id="best-season">{{ r.bestSeason }}</dd>
          <dt>Budget per day</dt>
          <!-- the pipe gives '' while the budget has not arrived; one line, or the text has spaces -->
          <dd id="budget">{{ r.budgetPerDayEur | currency: 'EUR' : 'symbol' : '1.0-0' }}</dd>
        </dl>
      </section>
    }
  `,
})
export class TravelAgentComponent {
  protected readonly defaultQuestion =
    'I love food, old streets and the sea, and I have a week in spring. Where should I go?';

  private readonly travelAgent = inject(TravelAgentService);
  private readonly questions = new Subject<string>();
  private readonly cancels = new Subject<void>();

  /**
   * The run of each question. Runs are cold: each subscription to `ask()` is a request of its own,
   * and a model call on the server. Three bindings read every run (the text, the recommendation,
   * the status), so the run is shared — one request whose events all three see — and so is this
   * stream of runs, or each binding would make its own run of the same question.
   *
   * When the last binding lets go of a run — a new question, Cancel (`takeUntil` completes it),
   * or this component being destroyed (`toSignal` unsubscribes then) — `share()` unsubscribes from
   * the request, which aborts it. No run outlives its component.
   */
  private readonly runs$: Observable<Run> = this.questions.pipe(
    map((question) => this.travelAgent.ask(question).pipe(takeUntil(this.cancels), share())),
    share(),
  );

  /** The answer's text so far. */
  protected readonly answer = this.bind(
    (run) =>
      run.pipe(
        accumulateText(),
        startWith(''),
        catchError(() => EMPTY),
      ),
    '',
  );

  /** The recommendation as it grows (`partialOutput`), ending with the validated final output. */
  protected readonly recommendation = this.bind<DeepPartial<Recommendation> | undefined>(
    (run) =>
      run.pipe(
        partialOutput<Recommendation>(),
        startWith(undefined),
        catchError(() => EMPTY),
      ),
    undefined,
  );

  protected readonly status = this.bind<RunStatus>(
    (run) =>
      run.pipe(
        filter((event) => event.type === 'final-output'),
        map((): RunStatus => ({ state: 'done' })),
        defaultIfEmpty<RunStatus, RunStatus>({ state: 'cancelled' }), // completed without an answer: Cancel
        catchError((error: unknown) =>
          of<RunStatus>({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
        ),
        startWith<RunStatus>({ state: 'streaming' }),
      ),
    { state: 'idle' },
  );

  protected readonly failure = computed(() => {
    const status = this.status();
    return status.state === 'failed' ? status.message : undefined;
  });

  protected readonly statusText = computed(() => statusTexts[this.status().state]);

  ask(question: string): void {
    if (question.trim() !== '') this.questions.next(question.trim());
  }

  cancel(): void {
    this.cancels.next();
  }

  /** A binding: what `read` makes of the latest run, switching (and letting go) when a new one starts. */
  private bind<T>(read: (run: Run) => Observable<T>, initial: T): Signal<T> {
    return toSignal(this.runs$.pipe(switchMap(read)), { initialValue: initial });
  }
}

const statusTexts: Record<RunStatus['state'], string> = {
  idle: 'Ready.',
  streaming: 'Streaming…',
  done: 'Done.',
  cancelled: 'Cancelled.',
  failed: 'Failed.',
};
