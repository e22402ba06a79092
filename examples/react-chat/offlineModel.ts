/**
 * What the local model server (`rxjs-agents/testing/server`) answers when the example runs
 * offline: prose, a word at a time, slowly enough to press Stop; a `book_trip` call when the
 * traveller asks to book; a confirmation once the tool has run.
 */
import type { Responder } from 'rxjs-agents/testing/server';

/** The answers to anything but a booking, in turn (the end-to-end test reads them too). */
export const recommendations = [
  'Lisbon, Portugal, is a fine choice for spring. Its tiled old quarters climb seven hills, the trams rattle past ' +
    'viewpoints over the river, and the grilled sardines and pastéis de nata are worth the trip alone. ' +
    'Go between April and June, and plan on about 110 euros a day.',
  'Then try Naples, Italy: the birthplace of pizza, a labyrinth of ancient streets, and the Bay of Naples with ' +
    'Capri and the Amalfi Coast a ferry ride away. April and May are warm without the summer crowds, ' +
    'and about 100 euros a day covers a comfortable stay.',
  'Valencia, Spain, would suit you too: paella where it was invented, a compact medieval centre, the futuristic ' +
    'City of Arts and Sciences, and long sandy beaches you can reach by bike. March to May is ideal, ' +
    'at about 105 euros a day.',
];

/** A responder whose turns stream one event every `delayMs`. */
export function offlineModel(delayMs: number): Responder {
  let answered = 0;
  return (request) => {
    const last = request.api === 'responses' ? request.history.at(-1) : request.messages.at(-1);
    const toolRan = typeof last === 'object' && last !== null && 'type' in last && last.type === 'function_call_output';
    if (toolRan) {
      return { text: 'Done: your trip is booked. Have a wonderful time!', delayMs };
    }
    if (/\bbook/i.test(request.lastUserText ?? '')) {
      const toolCalls = [{ name: 'book_trip', arguments: { destination: 'Lisbon, Portugal', dates: '12–19 May' } }];
      return { text: 'I can book Lisbon for 12–19 May, once you approve.', toolCalls, delayMs };
    }
    return { text: recommendations[answered++ % recommendations.length], delayMs };
  };
}
