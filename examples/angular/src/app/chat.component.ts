import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { injectAgentChat, type ChatMessage, type ChatStatus } from 'rxjs-agents/angular';
import type { Recommendation } from './recommendation';
import { RecommendationCardComponent } from './recommendation-card.component';

/** Where examples/node-server serves the conversation (same origin as this app). */
const endpoint = '/api/conversation';

/**
 * A chat with the travel agent: several turns with their history, the answer streaming in as a
 * recommendation card, tool calls as they run and finish, Approve and Reject for a booking, Stop
 * and Retry. All of it is `injectAgentChat`'s signals; the run ends with this component.
 */
@Component({
  selector: 'app-chat',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [JsonPipe, RecommendationCardComponent],
  template: `
    <ol id="conversation">
      @for (message of chat.messages(); track message.id; let last = $last) {
        <li class="message" [attr.data-role]="message.role">
          @switch (message.role) {
            @case ('user') {
              <p class="user">{{ message.text }}</p>
            }
            @case ('assistant') {
              @if (cardOf(message, last); as card) {
                <app-recommendation-card [recommendation]="card" [final]="message.output !== undefined" />
              } @else {
                <p class="assistant">{{ message.text }}</p>
              }
            }
            @case ('tool') {
              <div class="tool" [attr.data-status]="message.status" [attr.data-name]="message.name">
                <code>{{ message.name }}({{ message.arguments | json }})</code>
                <span class="tool-status">{{ toolStatusTexts[message.status] }}</span>
                @if (message.status === 'done') {
                  <pre class="tool-output">{{ message.output | json }}</pre>
                }
                @if (message.status === 'awaiting-approval') {
                  <div class="approval" role="group" aria-label="Approve this call?">
                    <button type="button" class="approve" (click)="chat.approve(message.callId)">Approve</button>
                    <button
                      type="button"
                      class="reject secondary"
                      (click)="chat.reject(message.callId, 'The traveller declined.')"
                    >
                      Reject
                    </button>
                  </div>
                }
              </div>
            }
          }
        </li>
      } @empty {
        <li class="empty">Ask for a trip; then ask to book it.</li>
      }
    </ol>

    @if (errorText(); as message) {
      <p id="error" role="alert">The agent could not answer: {{ message }}</p>
    }

    <form (submit)="$event.preventDefault(); send(questionBox)">
      <label for="question">Your message</label>
      <textarea #questionBox id="question" rows="2" required maxlength="2000" [value]="defaultQuestion"></textarea>
      <div class="actions">
        <button type="submit" id="send">Send</button>
        <button type="button" id="stop" (click)="chat.stop()" [disabled]="!busy()">Stop</button>
        <button
          type="button"
          id="retry"
          class="secondary"
          (click)="chat.reload()"
          [disabled]="busy() || chat.messages().length === 0"
        >
          Retry
        </button>
        <p id="status" role="status" aria-live="polite">{{ statusTexts[chat.status()] }}</p>
      </div>
    </form>
  `,
})
export class ChatComponent {
  protected readonly defaultQuestion =
    'I love food, old streets and the sea, and I have a week in spring. Where should I go?';

  protected readonly chat = injectAgentChat<Recommendation>({ endpoint });

  protected readonly busy = computed(
    () => this.chat.status() === 'streaming' || this.chat.status() === 'running-tools',
  );

  protected readonly errorText = computed(() => {
    const error = this.chat.error();
    return error === undefined ? undefined : error instanceof Error ? error.message : String(error);
  });

  protected readonly statusTexts: Record<ChatStatus, string> = {
    idle: 'Ready.',
    streaming: 'Streaming…',
    'running-tools': 'Running tools…',
    'awaiting-approval': 'Waiting for your approval.',
    error: 'Failed.',
  };

  protected readonly toolStatusTexts = {
    running: 'running…',
    'awaiting-approval': 'needs your approval',
    done: 'done',
    error: 'failed',
    rejected: 'rejected',
  } as const;

  /**
   * The card an assistant message is shown as: its final output, or — while it streams — the
   * run's partial output. A message of plain text (not JSON) is shown as text.
   */
  protected cardOf(message: ChatMessage & { role: 'assistant' }, last: boolean) {
    if (!message.text.trimStart().startsWith('{')) return undefined;
    if (message.output !== undefined) return message.output as Recommendation;
    return last ? this.chat.partialOutput() : undefined;
  }

  protected send(box: HTMLTextAreaElement): void {
    const text = box.value.trim();
    if (text === '') return;
    this.chat.send(text);
    box.value = '';
  }
}
