/**
 * A Responses API stream of a turn that searched the web and then answered, in the shapes OpenAI
 * sends (`web_search_call` item and its `response.web_search_call.*` events, then a message with
 * a `url_citation`), written here from the API's documented event types: no recording of one is
 * in the fixtures.
 */
export const webSearchCall = {
  type: 'web_search_call',
  id: 'ws_1',
  status: 'completed',
  action: { type: 'search', query: 'positive news today' },
} as const;

export const citedMessage = {
  type: 'message',
  id: 'msg_1',
  role: 'assistant',
  status: 'completed',
  content: [
    {
      type: 'output_text',
      text: 'Otters are thriving.',
      annotations: [
        { type: 'url_citation', start_index: 0, end_index: 20, url: 'https://example.org/otters', title: 'Otters' },
      ],
      logprobs: [],
    },
  ],
} as const;

const usage = { input_tokens: 12, output_tokens: 5, total_tokens: 17 };

/** The events of that turn, numbered in order. */
export function webSearchTurnEvents(): Record<string, unknown>[] {
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: 'resp_ws',
    object: 'response',
    created_at: 0,
    status,
    model: 'gpt-4.1',
    output,
    tools: [{ type: 'web_search', search_context_size: 'low' }],
    usage: withUsage ? usage : null,
  });
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: response('in_progress', [], false) },
    { type: 'response.in_progress', response: response('in_progress', [], false) },
    { type: 'response.output_item.added', output_index: 0, item: { ...webSearchCall, status: 'in_progress' } },
    { type: 'response.web_search_call.in_progress', output_index: 0, item_id: 'ws_1' },
    { type: 'response.web_search_call.searching', output_index: 0, item_id: 'ws_1' },
    { type: 'response.web_search_call.completed', output_index: 0, item_id: 'ws_1' },
    { type: 'response.output_item.done', output_index: 0, item: webSearchCall },
    {
      type: 'response.output_item.added',
      output_index: 1,
      item: { ...citedMessage, status: 'in_progress', content: [] },
    },
    {
      type: 'response.content_part.added',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    },
    {
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'Otters ',
      logprobs: [],
    },
    {
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'are thriving.',
      logprobs: [],
    },
    {
      type: 'response.output_text.done',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      text: 'Otters are thriving.',
      logprobs: [],
    },
    {
      type: 'response.content_part.done',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: citedMessage.content[0],
    },
    { type: 'response.output_item.done', output_index: 1, item: citedMessage },
    { type: 'response.completed', response: response('completed', [webSearchCall, citedMessage], true) },
  ];
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}
