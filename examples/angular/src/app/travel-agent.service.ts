import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';
import { fromServerSentEvents, type RunEvent } from 'rxjs-agents';
import type { Recommendation } from './recommendation';

/** Where examples/node-server serves the travel agent's runs (same origin as this app). */
const chatUrl = '/api/chat';

/** The travel agent, running on the server; this service hands its runs to components. */
@Injectable({ providedIn: 'root' })
export class TravelAgentService {
  /**
   * A run of the travel agent for `question`, as the events the server streams.
   *
   * Cold, like every run: nothing is sent until it is subscribed, each subscription is a request
   * (and a model call) of its own, and unsubscribing aborts the request, which the server
   * answers by aborting its model call.
   */
  ask(question: string): Observable<RunEvent<Recommendation>> {
    return fromServerSentEvents<Recommendation>(chatUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question }),
    });
  }
}
