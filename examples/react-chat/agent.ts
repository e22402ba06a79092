/**
 * The travel agent as a chat: it answers in prose (no `outputType`, so `useChat` shows text, not
 * JSON) and books trips with a tool that waits for a person's approval (`needsApproval`). The
 * approval is the page's Approve / Reject buttons; see server.ts for how the answer comes back.
 */
import { z } from 'zod';
import { Agent, tool, type Model } from 'rxjs-agents';

/** Books a trip; `needsApproval: true`, so the run stops and asks before it runs. */
export const bookTrip = tool({
  name: 'book_trip',
  description: 'Books a trip for the traveller. Needs their approval.',
  parameters: z.object({
    destination: z.string().describe('City and country.'),
    dates: z.string().describe('When, e.g. "12–19 May".'),
  }),
  needsApproval: true,
  execute: ({ destination, dates }) => ({
    confirmation: `TRIP-${destination.slice(0, 3).toUpperCase()}-${dates.length}${destination.length}`,
    destination,
    dates,
  }),
});

export function createTravelChatAgent(model: Model): Agent {
  return new Agent({
    name: 'Travel agent',
    instructions:
      'You are a travel agent. Recommend destinations in a few friendly sentences. When the traveller asks to book, call book_trip.',
    model,
    tools: [bookTrip],
  });
}
