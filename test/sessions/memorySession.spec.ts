import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type InputItem } from '../../src/index.js';
import { MemorySession } from '../../src/sessions/index.js';
import { thrown } from '../helpers/thrown.js';
import { describeSessionConformance } from './sessionConformance.js';

describeSessionConformance('MemorySession', (sessionId) => new MemorySession({ sessionId }));

describe('MemorySession', () => {
  const hello: InputItem = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] };

  it('starts with a copy of the items it is given', async () => {
    const items = [structuredClone(hello)];
    const session = new MemorySession({ sessionId: 's', items });
    (items[0] as any).content[0]!.text = 'changed';
    items.push(hello);
    expect(await session.getItems()).toStrictEqual([hello]);
  });

  it('has the id it is given, or a new random one', () => {
    expect(new MemorySession({ sessionId: 'user-42' }).sessionId).toBe('user-42');
    const ids = new Set(Array.from({ length: 3 }, () => new MemorySession().sessionId));
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('two instances with the same id share nothing', async () => {
    const first = new MemorySession({ sessionId: 'same' });
    const second = new MemorySession({ sessionId: 'same' });
    await first.addItems([hello]);
    expect(await second.getItems()).toEqual([]);
  });

  it.each([
    [{ sessionId: '' }, 'sessionId'],
    [{ sessionId: 42 }, 'sessionId'],
    [{ items: 'hello' }, 'items'],
    [{ items: [hello, null] }, 'items[1]'],
  ])('refuses %j where it is given, naming %s', (options, argument) => {
    const error = thrown(() => new MemorySession(options as never));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });

  it('addItems rejects what is not a list of items, and keeps what it had', async () => {
    const session = new MemorySession({ items: [hello] });
    await expect(session.addItems([hello, 'text' as never])).rejects.toMatchObject({ argument: 'items[1]' });
    expect(await session.getItems()).toStrictEqual([hello]);
  });
});
