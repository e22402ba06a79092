import { CurrencyPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { DeepPartial } from 'rxjs-agents';
import type { Recommendation } from './recommendation';

/** The travel agent's structured answer as a card: filled in field by field while it streams. */
@Component({
  selector: 'app-recommendation-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CurrencyPipe],
  template: `
    <section class="card" [class.final]="final()">
      <h2>
        <span class="destination">{{ recommendation().destination }}</span>
        <span class="badge">{{ final() ? 'final' : 'filling in…' }}</span>
      </h2>
      <p class="reason">{{ recommendation().reason }}</p>
      <dl>
        <dt>Best season</dt>
        <dd class="best-season">{{ recommendation().bestSeason }}</dd>
        <dt>Budget per day</dt>
        <dd class="budget">{{ recommendation().budgetPerDayEur | currency: 'EUR' : 'symbol' : '1.0-0' }}</dd>
      </dl>
    </section>
  `,
})
export class RecommendationCardComponent {
  readonly recommendation = input.required<DeepPartial<Recommendation>>();
  /** Whether it is the validated final output rather than a partial one. */
  readonly final = input(false);
}
