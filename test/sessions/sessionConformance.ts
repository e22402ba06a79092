/**
 * The one conformance suite every `Session` implementation passes: the same specs, run by each
 * implementation's spec file with its own factory.
 *
 * ```ts
 * describeSessionConformance('MemorySession', (sessionId) => new MemorySession({ sessionId }));
 * describeSessionConformance('SQLiteSession', (sessionId) => new SQLiteSession({ sessionId, path }), {
 *   sharedStore: true,
 *   cleanup: (session) => (session as SQLiteSession).close(),
 * });
 * ```
 *
 * `makeSession(sessionId)` is called with a new id for each conversation a test needs, and again
 * with the same id where a test needs a second instance on one conversation (`sharedStore`). The
 * ids are unique within a run of the suite, so a factory may keep every session in one database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, type InputItem, type Session } from '../../src/index.js';

/** Makes the session of conversation `sessionId`. */
export type SessionFactory = (sessionId: string) => Session | Promise<Session>;

export interface SessionConformanceOptions {
  /** Called after each test for every session the test made: close a connection, delete a conversation. */
  readonly cleanup?: (session: Session) => void | Promise<void>;
  /**
   * Whether two sessions made with the same id share one store (a database): then a second
   * instance reads what the first wrote, and the concurrency spec adds through two instances.
   * Default: `false` (each instance its own store, as `MemorySession`).
   */
  readonly sharedStore?: boolean;
  /**
   * What the store gives back for an item it was given. Default: the item itself, deep-equal.
   * A store that rewrites what it keeps (OpenAI's Conversations API gives each item an id and a
   * `status`, and a message's string content as a part) gives its mapping here, and every
   * comparison of the suite compares the session's items with the expected items mapped by it.
   * It may match what the store assigns by form (`expect.any(String)` for an id the caller did
   * not give), never the content the caller gave.
   */
  readonly storedAs?: (given: InputItem) => unknown;
  /**
   * The item types the store accepts, for a store that refuses items it does not know or did not
   * make (OpenAI's Conversations API refuses a made-up provider item, and a reasoning item whose
   * encrypted content it did not encrypt). The round-trip spec then adds only the
   * {@link roundTripItems} of these types, and names them in its title. Default: every type (a
   * store that keeps whatever it is given, as a database does).
   */
  readonly itemTypes?: readonly string[];
  /**
   * Whether `clear()` deletes the conversation itself rather than its items, so that another
   * instance on the same id has no conversation left to read (OpenAI's Conversations API: a
   * deleted conversation is gone, and the instance that cleared starts a new one on its next
   * use). With `sharedStore`, the shared-store spec then expects that other instance's `getItems`
   * to reject, instead of giving `[]`. Default: `false`.
   */
  readonly clearDeletesConversation?: boolean;
}

const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: text });

/** Items of every kind a run keeps, with the values JSON and SQL text get wrong if anything does. */
export const roundTripItems: readonly InputItem[] = [
  user('Plain text'),
  {
    type: 'message',
    role: 'user',
    content: [
      { type: 'input_text', text: 'What is in this image? «quotes» \'single\' "double" \\ back\\slash' },
      { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
    ],
  },
  {
    type: 'message',
    role: 'assistant',
    id: 'msg_1',
    status: 'completed',
    content: [
      { type: 'output_text', text: 'Line one\nLine two\ttabbed — 日本語 🌍 \u0000 nul', annotations: [] },
      { type: 'refusal', refusal: 'I cannot do that.' },
    ],
  },
  { type: 'message', role: 'system', content: "'; DROP TABLE agent_session_items; --" },
  { type: 'message', role: 'developer', content: '' },
  {
    type: 'function_call',
    id: 'fc_1',
    call_id: 'call_1',
    name: 'get_weather',
    arguments: '{"city":"Paris","days":[1,2,3],"nested":{"unit":"°C"}}',
    status: 'completed',
  },
  { type: 'function_call_output', call_id: 'call_1', output: '{"temperature":21.5,"sunny":true,"rain":null}' },
  {
    type: 'reasoning',
    id: 'rs_1',
    summary: [{ type: 'summary_text', text: 'Thinking about the weather.' }],
    encrypted_content: 'gAAAAABo'.repeat(64),
  },
  {
    type: 'web_search_call',
    id: 'ws_1',
    status: 'completed',
    action: { type: 'search', query: 'weather Paris', sources: null },
    numbers: [0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER],
    flags: { yes: true, no: false },
    empty: {},
    list: [],
  },
];

/**
 * `call()`'s rejection (or what it threw synchronously): a session may reject a bad argument or
 * throw it where it is given. Fails the test when it resolved.
 */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

let suiteRuns = 0;

export function describeSessionConformance(
  name: string,
  makeSession: SessionFactory,
  {
    cleanup,
    sharedStore = false,
    storedAs = (given) => given,
    itemTypes,
    clearDeletesConversation = false,
  }: SessionConformanceOptions = {},
): void {
  /** What the store is expected to give back for `given`, each item as the store keeps it. */
  const stored = (given: readonly InputItem[]): unknown[] => given.map((item) => storedAs(item));
  /** What the store is expected to give back for the user message `text`. */
  const userStored = (text: string): unknown => storedAs(user(text));
  /** The round-trip items this store accepts: all of them, or those of `itemTypes`. */
  const accepted =
    itemTypes === undefined ? roundTripItems : roundTripItems.filter(({ type }) => itemTypes.includes(type));
  const acceptedTitle =
    itemTypes === undefined
      ? 'every kind of item deep-equal: messages with content parts, function calls and outputs, reasoning, provider items'
      : `every kind of item this store accepts (${itemTypes.join(', ')}), as it stores them`;

  describe(`${name}: Session conformance`, () => {
    const run = ++suiteRuns;
    let conversations = 0;
    let made: Session[] = [];

    /** A session on a new conversation. */
    const fresh = async (): Promise<Session> => on(`conformance-${run}-${++conversations}`);
    /** A session on conversation `sessionId` (another instance, when one exists). */
    const on = async (sessionId: string): Promise<Session> => {
      const session = await makeSession(sessionId);
      made.push(session);
      return session;
    };
    /** The id the factory was given for `session`'s conversation, for a second instance on it. */
    const idOf = (): string => `conformance-${run}-${conversations}`;

    afterEach(async () => {
      const sessions = made;
      made = [];
      if (cleanup) for (const session of sessions) await cleanup(session);
    });

    it('a new conversation is empty: no items, and popItem gives undefined', async () => {
      const session = await fresh();
      expect(await session.getItems()).toEqual([]);
      expect(await session.popItem()).toBeUndefined();
      expect(await session.getItems()).toEqual([]);
    });

    it('keeps items in the order they were added, across calls', async () => {
      const session = await fresh();
      await session.addItems([user('a'), user('b')]);
      await session.addItems([user('c')]);
      await session.addItems([user('d'), user('e'), user('f')]);
      expect(await session.getItems()).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map(userStored));
    });

    it('addItems([]) adds nothing', async () => {
      const session = await fresh();
      await session.addItems([]);
      expect(await session.getItems()).toEqual([]);
      await session.addItems([user('a')]);
      await session.addItems([]);
      expect(await session.getItems()).toEqual([userStored('a')]);
    });

    it('getItems(limit) gives the limit most recent items, oldest first', async () => {
      const session = await fresh();
      await session.addItems(['a', 'b', 'c'].map(user));
      await session.addItems(['d', 'e'].map(user));
      expect(await session.getItems(1)).toEqual([userStored('e')]);
      expect(await session.getItems(2)).toEqual([userStored('d'), userStored('e')]);
      expect(await session.getItems(3)).toEqual(['c', 'd', 'e'].map(userStored));
      expect(await session.getItems(5)).toEqual(['a', 'b', 'c', 'd', 'e'].map(userStored));
      expect(await session.getItems(50)).toEqual(['a', 'b', 'c', 'd', 'e'].map(userStored));
      expect(await session.getItems(undefined)).toEqual(['a', 'b', 'c', 'd', 'e'].map(userStored));
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])(
      'getItems(%s) fails with an InvalidArgumentError naming limit, and changes nothing',
      async (limit) => {
        const session = await fresh();
        await session.addItems([user('a')]);
        const error = await failure(() => session.getItems(limit as number));
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        expect((error as InvalidArgumentError).argument).toBe('limit');
        expect(await session.getItems()).toEqual([userStored('a')]);
      },
    );

    it('popItem removes and gives the most recent item, then the one before, then undefined', async () => {
      const session = await fresh();
      await session.addItems(['a', 'b'].map(user));
      await session.addItems([user('c')]);
      expect(await session.popItem()).toEqual(userStored('c'));
      expect(await session.getItems()).toEqual([userStored('a'), userStored('b')]);
      expect(await session.popItem()).toEqual(userStored('b'));
      await session.addItems([user('d')]);
      expect(await session.popItem()).toEqual(userStored('d'));
      expect(await session.popItem()).toEqual(userStored('a'));
      expect(await session.popItem()).toBeUndefined();
      expect(await session.getItems()).toEqual([]);
    });

    it('clear removes every item of its conversation, which can then start again', async () => {
      const session = await fresh();
      await session.addItems(['a', 'b', 'c'].map(user));
      await session.clear();
      expect(await session.getItems()).toEqual([]);
      expect(await session.popItem()).toBeUndefined();
      await session.clear();
      await session.addItems([user('again')]);
      expect(await session.getItems()).toEqual([userStored('again')]);
    });

    it('conversations with different ids are independent: add, limit, pop and clear touch only their own', async () => {
      const first = await fresh();
      const second = await fresh();
      await first.addItems([user('1a')]);
      await second.addItems([user('2a'), user('2b')]);
      await first.addItems([user('1b'), user('1c')]);
      expect(await first.getItems()).toEqual(['1a', '1b', '1c'].map(userStored));
      expect(await second.getItems()).toEqual(['2a', '2b'].map(userStored));
      expect(await second.getItems(1)).toEqual([userStored('2b')]);
      expect(await first.popItem()).toEqual(userStored('1c'));
      expect(await second.getItems()).toEqual(['2a', '2b'].map(userStored));
      await second.clear();
      expect(await second.getItems()).toEqual([]);
      expect(await first.getItems()).toEqual(['1a', '1b'].map(userStored));
    });

    it(`gives back ${acceptedTitle}`, async () => {
      const session = await fresh();
      await session.addItems(accepted.slice(0, 4));
      await session.addItems(accepted.slice(4));
      expect(await session.getItems()).toStrictEqual(stored(accepted));
      expect(await session.getItems(2)).toStrictEqual(stored(accepted.slice(-2)));
      expect(await session.popItem()).toStrictEqual(storedAs(accepted.at(-1)!));
    });

    it('keeps copies: mutating what was added or what was returned changes nothing stored', async () => {
      const session = await fresh();
      const added = [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'original' }] },
        { type: 'function_call_output', call_id: 'call_1', output: 'original' },
      ];
      const expected = stored(structuredClone(added));
      await session.addItems(added);
      (added[0]!.content as { text: string }[])[0]!.text = 'changed after addItems';
      added.push({ type: 'function_call_output', call_id: 'call_2', output: 'pushed' });

      const returned = (await session.getItems()) as any[];
      returned[0].content[0].text = 'changed after getItems';
      returned[1].output = 'changed';
      returned.pop();
      returned.push(user('pushed'));
      expect(await session.getItems()).toStrictEqual(expected);

      const popped = (await session.popItem()) as any;
      popped.output = 'changed after popItem';
      expect(await session.getItems()).toStrictEqual(expected.slice(0, 1));
    });

    if (sharedStore) {
      it(`a second instance on the same id reads and pops what the first wrote, and ${clearDeletesConversation ? 'finds no conversation once the first deleted it' : 'sees it cleared'}`, async () => {
        const writer = await fresh();
        const reader = await on(idOf());
        await writer.addItems(['a', 'b', 'c'].map(user));
        expect(await reader.getItems()).toEqual(['a', 'b', 'c'].map(userStored));
        expect(await reader.popItem()).toEqual(userStored('c'));
        expect(await writer.getItems()).toEqual(['a', 'b'].map(userStored));
        await writer.clear();
        expect(await writer.getItems()).toEqual([]);
        if (clearDeletesConversation) await failure(() => reader.getItems());
        else expect(await reader.getItems()).toEqual([]);
      });
    }

    it(`many addItems at once on one id${sharedStore ? ', through two instances,' : ''} lose nothing and keep each call's items together and in order`, async () => {
      const first = await fresh();
      const second = sharedStore ? await on(idOf()) : first;
      const calls = 24;
      const perCall = 5;
      const batch = (call: number): InputItem[] =>
        Array.from({ length: perCall }, (_, index) => user(`call ${call} item ${index}`));
      await Promise.all(
        Array.from({ length: calls }, (_, call) => (call % 2 === 0 ? first : second).addItems(batch(call))),
      );

      const items = await first.getItems();
      expect(items).toHaveLength(calls * perCall);
      const order: number[] = [];
      for (let start = 0; start < items.length; start += perCall) {
        const call = Number(/^call (\d+) item 0$/.exec(textOf(items[start]))?.[1]);
        expect(items.slice(start, start + perCall)).toEqual(stored(batch(call)));
        order.push(call);
      }
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: calls }, (_, call) => call));
      if (sharedStore) expect(await second.getItems()).toEqual(items);
    });
  });
}

/**
 * The text of one of the suite's user messages, its content as given (a string) or as a store
 * that keeps content as parts gives it back (one `input_text` part). `''` for anything else.
 */
function textOf(item: InputItem | undefined): string {
  const content = (item as { content?: unknown } | undefined)?.content;
  if (typeof content === 'string') return content;
  const part = Array.isArray(content) ? (content[0] as { text?: unknown } | undefined) : undefined;
  return typeof part?.text === 'string' ? part.text : '';
}
