import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TravelAgentComponent } from './travel-agent.component';

/**
 * The page: the travel agent in a panel that can be closed. Closing it destroys the component,
 * which ends its run — try it while an answer streams, and the server logs the aborted model call.
 */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TravelAgentComponent],
  template: `
    <main>
      <header>
        <h1>Travel agent <small>Angular</small></h1>
        <p class="lede">
          A standalone component over an injectable service: the run streams from
          <code>POST /api/chat</code> and is bound with <code>toSignal</code>.
        </p>
        <button type="button" id="toggle-panel" class="secondary" (click)="open.set(!open())">
          {{ open() ? 'Close the travel agent' : 'Open the travel agent' }}
        </button>
      </header>
      @if (open()) {
        <app-travel-agent />
      } @else {
        <p id="closed">The travel agent is closed; its run, if any, was cancelled with it.</p>
      }
    </main>
  `,
})
export class AppComponent {
  protected readonly open = signal(true);
}
