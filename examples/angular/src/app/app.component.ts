import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { ChatComponent } from './chat.component';

/**
 * The page: the travel agent's chat in a panel that can be closed. Closing it destroys the component,
 * which ends its run — try it while an answer streams, and the server logs the aborted model call.
 */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ChatComponent],
  template: `
    <main>
      <header>
        <h1>Travel agent <small>Angular</small></h1>
        <p class="lede">
          A chat in a standalone component: <code>injectAgentChat</code> from <code>rxjs-agents/angular</code> posts the
          conversation to <code>POST /api/conversation</code> and gives its messages, status and structured answer as
          signals.
        </p>
        <button type="button" id="toggle-panel" class="secondary" (click)="open.set(!open())">
          {{ open() ? 'Close the travel agent' : 'Open the travel agent' }}
        </button>
      </header>
      @if (open()) {
        <app-chat />
      } @else {
        <p id="closed">The travel agent is closed; its run, if any, was cancelled with it.</p>
      }
    </main>
  `,
})
export class AppComponent {
  protected readonly open = signal(true);
}
