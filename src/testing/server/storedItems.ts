/**
 * Items as OpenAI stores them: what the local server keeps of a conversation or a response, and
 * gives back from `GET /v1/conversations/{id}/items`. An input item is given an id by its type
 * (`msg_…`, `fc_…`, `fco_…`, `rs_…`), a message its `type` and content parts, and the kinds that
 * have a status `'completed'` — the shapes the `openai` SDK's `ConversationItem` types describe.
 */

/** An item as stored: an object with an `id` and a `type`. */
export type StoredItem = Readonly<Record<string, unknown>> & { readonly id: string; readonly type: string };

/** The id prefix OpenAI gives each kind of item. */
const prefixes: Readonly<Record<string, string>> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  reasoning: 'rs',
  web_search_call: 'ws',
  file_search_call: 'fs',
  computer_call: 'cu',
  computer_call_output: 'cuo',
  image_generation_call: 'ig',
  code_interpreter_call: 'ci',
  local_shell_call: 'lsh',
  mcp_call: 'mcp',
  custom_tool_call: 'ctc',
  custom_tool_call_output: 'ctco',
};

/**
 * The item types `POST /v1/conversations` and `…/items` take: the `openai` SDK's
 * `ResponseInputItem` union, less `item_reference` (which OpenAI resolves to the item it names,
 * and this server does not keep items outside conversations to resolve). OpenAI refuses any other
 * type with a 400, so a made-up provider item is never stored.
 */
const acceptedTypes = new Set([
  'message',
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'function_call',
  'function_call_output',
  'tool_search_call',
  'tool_search_output',
  'additional_tools',
  'configuration_update',
  'reasoning',
  'compaction',
  'compaction_trigger',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'program',
  'program_output',
]);

/**
 * Why OpenAI would refuse `items` in a Conversations request, as a message and the `param` it
 * names, or `undefined` when it takes them: an item that is not an object, or of a type it does
 * not know. An item without a `type` is a message when it has a `role` (`EasyInputMessage`).
 */
export function refusedItem(
  items: readonly unknown[],
): { readonly message: string; readonly param: string } | undefined {
  for (const [index, raw] of items.entries()) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { message: `Invalid type for 'items[${index}]': expected an object.`, param: `items[${index}]` };
    }
    const type = (raw as Record<string, unknown>)['type'];
    if (type === undefined && typeof (raw as Record<string, unknown>)['role'] === 'string') continue;
    if (typeof type !== 'string' || !acceptedTypes.has(type)) {
      return {
        message: `Invalid value: ${JSON.stringify(type) ?? 'undefined'}. Supported values are: ${[...acceptedTypes].map((known) => `'${known}'`).join(', ')}.`,
        param: `items[${index}].type`,
      };
    }
  }
  return undefined;
}

/** The kinds of item that carry a `status`. */
const withStatus = new Set(['message', 'function_call', 'function_call_output']);

/**
 * Makes one server's item ids: `<prefix>_i<n>`, numbered across the server, so they never meet
 * the ids the server generates for responses (`msg_<turn>`, `fc_<turn>_<index>`).
 */
export class ItemIds {
  #count = 0;

  next(type: string): string {
    this.#count += 1;
    return `${prefixes[type] ?? 'item'}_i${this.#count}`;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A message's content as parts: a string becomes one `input_text` part (`output_text` for the assistant). */
function contentParts(role: unknown, content: unknown): unknown {
  if (typeof content !== 'string') return content;
  return role === 'assistant'
    ? [{ type: 'output_text', text: content, annotations: [] }]
    : [{ type: 'input_text', text: content }];
}

/**
 * `raw` as stored, with a new id when it has none or its id is in `taken` (then added to it).
 * The input's own object is not changed.
 */
export function storedItem(raw: unknown, ids: ItemIds, taken: Set<string>): StoredItem {
  const item = asRecord(raw);
  const type = typeof item['type'] === 'string' ? item['type'] : 'message';
  const own = item['id'];
  const id = typeof own === 'string' && own !== '' && !taken.has(own) ? own : ids.next(type);
  taken.add(id);
  const stored: Record<string, unknown> = { id, ...item, type };
  stored['id'] = id;
  if (type === 'message') stored['content'] = contentParts(item['role'], item['content']);
  if (withStatus.has(type) && typeof item['status'] !== 'string') stored['status'] = 'completed';
  return stored as StoredItem;
}

/** A request's `input` as a list of items: a string is one user message. */
export function inputItems(input: unknown): unknown[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return Array.isArray(input) ? (input as unknown[]) : [];
}

/** What an `include` value of a Conversations request adds to the items it gives back. */
const includable = {
  image: 'message.input_image.image_url',
  encrypted: 'reasoning.encrypted_content',
} as const;

/** A request's `include` values: `include[]=…` as the `openai` SDK sends them, or `include=…`. */
export function includes(query: URLSearchParams): ReadonlySet<string> {
  return new Set([...query.getAll('include[]'), ...query.getAll('include')]);
}

/**
 * `item` as OpenAI gives it back to a request with `include`: an input image's `image_url` and a
 * reasoning item's `encrypted_content` are kept but shown only when asked for
 * (`message.input_image.image_url`, `reasoning.encrypted_content`), `null` otherwise.
 */
export function shownItem(item: StoredItem, include: ReadonlySet<string>): StoredItem {
  if (
    item.type === 'reasoning' &&
    typeof item['encrypted_content'] === 'string' &&
    !include.has(includable.encrypted)
  ) {
    return { ...item, encrypted_content: null };
  }
  if (item.type !== 'message' || !Array.isArray(item['content']) || include.has(includable.image)) return item;
  const content = (item['content'] as unknown[]).map((part) => {
    const fields = asRecord(part);
    return fields['type'] === 'input_image' && typeof fields['image_url'] === 'string'
      ? { ...fields, image_url: null }
      : part;
  });
  return { ...item, content };
}
