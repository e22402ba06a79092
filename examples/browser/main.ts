/**
 * The browser page of the example server: ask a question, watch the answer stream in, see the
 * structured recommendation when it arrives, cancel at any time.
 *
 * The run happens on the server (`POST /api/chat`, see examples/node-server); this page reads its
 * events with `fromServerSentEvents`, which issues one `fetch` per subscription and aborts it on
 * unsubscribe — and the server, seeing the client leave, aborts its model call.
 */
import { animationFrameScheduler, share, Subscription } from 'rxjs';
import { fromServerSentEvents } from 'rxjs-agents';
import { bufferTokens, filterTextDeltas, toFinalOutput } from 'rxjs-agents/operators';
import type { Recommendation } from '../node-server/travelAgent.js';

const form = element<HTMLFormElement>('#ask');
const questionInput = element<HTMLTextAreaElement>('#question');
const cancelButton = element<HTMLButtonElement>('#cancel');
const statusLine = element<HTMLElement>('#status');
const answer = element<HTMLElement>('#answer');
const errorBox = element<HTMLElement>('#error');
const result = element<HTMLElement>('#result');

/** The run on screen; unsubscribing it cancels it. */
let current = Subscription.EMPTY;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const question = questionInput.value.trim();
  if (question !== '') ask(question);
});
cancelButton.addEventListener('click', () => {
  current.unsubscribe();
  settle('Cancelled.');
});

function ask(question: string): void {
  current.unsubscribe(); // a new question replaces the run on screen
  answer.textContent = '';
  errorBox.hidden = true;
  result.hidden = true;
  cancelButton.disabled = false;
  statusLine.textContent = 'Streaming…';

  // Runs are cold: each subscription to fromServerSentEvents is a request of its own, and a run
  // on the server. The text and the final output below read the same run, so it is shared.
  const run$ = fromServerSentEvents<Recommendation>('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  }).pipe(share());

  const subscription = new Subscription();
  // timeSpan 0 on the animation-frame scheduler: what arrived since the last paint is written
  // once, on the next frame.
  subscription.add(
    run$.pipe(filterTextDeltas(), bufferTokens({ timeSpan: 0, scheduler: animationFrameScheduler })).subscribe({
      next: (chunk) => answer.append(chunk),
      error: () => undefined, // the error is shown once, by the final output's subscriber below
    }),
  );
  subscription.add(
    run$.pipe(toFinalOutput()).subscribe({
      next: showRecommendation,
      error: (error: unknown) => {
        errorBox.textContent = `The agent could not answer: ${error instanceof Error ? error.message : String(error)}`;
        errorBox.hidden = false;
        settle('Failed.');
      },
      complete: () => settle('Done.'),
    }),
  );
  current = subscription;
}

function showRecommendation(recommendation: Recommendation): void {
  element('#destination').textContent = recommendation.destination;
  element('#reason').textContent = recommendation.reason;
  element('#best-season').textContent = recommendation.bestSeason;
  element('#budget').textContent = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: 0,
  }).format(recommendation.budgetPerDayEur);
  result.hidden = false;
}

function settle(status: string): void {
  cancelButton.disabled = true;
  statusLine.textContent = status;
}

function element<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`The page has no ${selector}.`);
  return found;
}
