// @vitest-environment happy-dom
/** `injectAgentChat` with the `run` form, over fakeModel: the conversation, tools, approvals, stop, errors. */
import { TestBed } from '@angular/core/testing';
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { injectAgentChat } from '../../src/angular/index.js';
import { Agent } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { counted, scriptedAgent } from './chatHelpers.js';
import { inOwnInjector, useTestBed } from './testBed.js';

useTestBed();

const chatOf = <T>(run: Parameters<typeof injectAgentChat<T>>[0]) =>
  TestBed.runInInjectionContext(() => injectAgentChat<T>(run));

describe('injectAgentChat', () => {
  it('throws outside an injection context, as Angular inject functions do', () => {
    expect(() => injectAgentChat({ endpoint: '/api/chat' })).toThrow(/injectAgentChat.*injection context/s);
  });

  it('checks its options', () => {
    expect(() => chatOf({ endpoint: '' })).toThrow(/options\.endpoint/);
  });

  it('carries the history: the second message is sent with the first exchange', () => {
    const { agent, model } = scriptedAgent(['Lisbon is lovely.', 'Go in June.']);
    const { run, counts } = counted(agent);
    const chat = chatOf({ run });
    chat.send('Where should I go?');
    expect(chat.status()).toBe('idle');
    chat.send('When?');
    expect(chat.messages()).toEqual([
      { id: 'm0', role: 'user', text: 'Where should I go?' },
      {
        id: 'm1',
        role: 'assistant',
        agent: 'Travel agent',
        turn: 1,
        text: 'Lisbon is lovely.',
        output: 'Lisbon is lovely.',
      },
      { id: 'm2', role: 'user', text: 'When?' },
      { id: 'm3', role: 'assistant', agent: 'Travel agent', turn: 1, text: 'Go in June.', output: 'Go in June.' },
    ]);
    expect(counts.runs).toBe(2);
    const second = JSON.stringify(model.requests[1]?.input);
    expect(second).toContain('Where should I go?');
    expect(second).toContain('Lisbon is lovely.');
    expect(second).toContain('When?');
  });

  it('shows the text while it streams, then idle', () => {
    const scheduler = new VirtualTimeScheduler();
    const { agent } = scriptedAgent([{ text: ['Lis', 'bon ', 'it is.'] }], { model: { scheduler } });
    const chat = chatOf({ run: counted(agent).run });
    chat.send('Where?');
    expect(chat.status()).toBe('streaming');
    const texts = new Set<string>();
    scheduler.maxFrames = 0;
    for (let frame = 1; frame < 20 && chat.status() !== 'idle'; frame++) {
      scheduler.maxFrames = frame;
      scheduler.flush();
      const last = chat.messages().at(-1);
      if (last?.role === 'assistant') texts.add(last.text);
    }
    expect([...texts]).toEqual(['Lis', 'Lisbon ', 'Lisbon it is.']);
    expect(chat.status()).toBe('idle');
  });

  it('shows a tool call running, then done with its output', () => {
    const { agent, weather } = scriptedAgent(
      [{ toolCalls: [{ callId: 'c1', name: 'get_weather', arguments: { city: 'Lisbon' } }] }, 'Sunny, go.'],
      { tools: true },
    );
    const chat = chatOf({ run: counted(agent).run });
    chat.send('Weather?');
    expect(chat.status()).toBe('running-tools');
    expect(chat.messages()[1]).toMatchObject({ role: 'tool', callId: 'c1', name: 'get_weather', status: 'running' });
    weather.next('sunny');
    weather.complete();
    expect(chat.messages()[1]).toMatchObject({ status: 'done', output: 'sunny' });
    expect(chat.messages()[2]).toMatchObject({ role: 'assistant', text: 'Sunny, go.' });
    expect(chat.status()).toBe('idle');
  });

  it('waits for approval, and resumes the run with the decision: approved', () => {
    const { agent, booked } = scriptedAgent(
      [{ toolCalls: [{ callId: 'c1', name: 'book_trip', arguments: { city: 'Lisbon' } }] }, 'Booked!'],
      { tools: true },
    );
    const { run, counts } = counted(agent);
    const chat = chatOf({ run });
    chat.send('Book Lisbon');
    expect(chat.status()).toBe('awaiting-approval');
    expect(chat.pendingApprovals().map((call) => call.callId)).toEqual(['c1']);
    expect(booked).toEqual([]);
    chat.approve('c1');
    expect(booked).toEqual(['Lisbon']);
    expect(counts.requests[1]).toMatchObject({ decisions: [{ callId: 'c1', approved: true }] });
    expect(chat.messages()[1]).toMatchObject({ status: 'done', output: 'Booked Lisbon.' });
    expect(chat.messages()[2]).toMatchObject({ role: 'assistant', text: 'Booked!' });
    expect(chat.status()).toBe('idle');
    expect(chat.pendingApprovals()).toEqual([]);
  });

  it('rejected: the tool does not run and the model is told', () => {
    const { agent, booked, model } = scriptedAgent(
      [{ toolCalls: [{ callId: 'c1', name: 'book_trip', arguments: { city: 'Lisbon' } }] }, 'As you wish.'],
      { tools: true },
    );
    const chat = chatOf({ run: counted(agent).run });
    chat.send('Book Lisbon');
    chat.reject('c1', 'Not now.');
    expect(booked).toEqual([]);
    expect(chat.messages()[1]).toMatchObject({ status: 'rejected' });
    expect(JSON.stringify(model.requests[1]?.input)).toContain('Not now.');
    expect(chat.status()).toBe('idle');
  });

  it('stop() unsubscribes from the run, and the next message goes on from the history', () => {
    const { agent, model } = scriptedAgent([{ text: 'Thinking', stall: true }, 'Lisbon.']);
    const { run, counts } = counted(agent);
    const chat = chatOf({ run });
    chat.send('Where?');
    expect(chat.status()).toBe('streaming');
    expect(chat.messages()[1]).toMatchObject({ text: 'Thinking' });
    chat.stop();
    expect(counts.unsubscribed).toBe(1);
    expect(chat.status()).toBe('idle');
    chat.send('Anywhere?');
    expect(chat.messages().map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const input = JSON.stringify(model.requests[1]?.input);
    expect(input).toContain('Where?');
    expect(input).not.toContain('Thinking');
  });

  it('a message sent during a run stops that run; stopping an approval drops the waiting call', () => {
    const { agent, booked, model } = scriptedAgent(
      [
        { text: 'Thinking', stall: true },
        { toolCalls: [{ callId: 'c1', name: 'book_trip', arguments: { city: 'Lisbon' } }] },
        'Fine, no booking.',
      ],
      { tools: true },
    );
    const { run, counts } = counted(agent);
    const chat = chatOf({ run });
    chat.send('Where?');
    chat.send('Book Lisbon');
    expect(counts.unsubscribed).toBe(1);
    expect(chat.status()).toBe('awaiting-approval');
    chat.stop();
    expect(chat.status()).toBe('idle');
    expect(chat.pendingApprovals()).toEqual([]);
    chat.send('Never mind.');
    expect(booked).toEqual([]);
    expect(chat.messages().at(-1)).toMatchObject({ role: 'assistant', text: 'Fine, no booking.' });
    const third = JSON.stringify(model.requests[2]?.input);
    expect(third).toContain('Book Lisbon');
    expect(third).not.toContain('book_trip'); // no call left without its output
  });

  it('cancels the run when its injector is destroyed', () => {
    const { agent } = scriptedAgent([{ stall: true }]);
    const { run, counts } = counted(agent);
    const { value: chat, destroy } = inOwnInjector(() => injectAgentChat({ run }));
    chat.send('Where?');
    expect(counts.unsubscribed).toBe(0);
    destroy();
    expect(counts.unsubscribed).toBe(1);
  });

  it('reports a failed run in error(), and reload() runs the last message again', () => {
    const boom = new Error('model down');
    const { agent, model } = scriptedAgent([{ error: boom }, 'Lisbon.']);
    const chat = chatOf({ run: counted(agent).run });
    chat.send('Where?');
    expect(chat.status()).toBe('error');
    expect(chat.error()).toMatchObject({ message: expect.stringContaining('model down') });
    chat.reload();
    expect(chat.error()).toBeUndefined();
    expect(chat.status()).toBe('idle');
    expect(chat.messages().map((m) => [m.role, 'text' in m ? m.text : ''])).toEqual([
      ['user', 'Where?'],
      ['assistant', 'Lisbon.'],
    ]);
    expect(JSON.stringify(model.requests[1]?.input).match(/Where\?/g)).toHaveLength(1);
  });

  it('fills in partialOutput() as a structured answer streams', () => {
    const scheduler = new VirtualTimeScheduler();
    const Trip = z.object({ city: z.string(), days: z.number() });
    const model = fakeModel([{ text: ['{"city":"Lis', 'bon","days":', '5}'] }], { scheduler });
    const agent = new Agent({ name: 'Travel agent', model, outputType: Trip });
    const chat = chatOf({ run: counted(agent).run });
    chat.send('Where?');
    const seen: unknown[] = [];
    for (let frame = 1; frame < 200 && chat.status() !== 'idle'; frame++) {
      scheduler.maxFrames = frame;
      scheduler.flush();
      if (seen.at(-1) !== chat.partialOutput()) seen.push(chat.partialOutput());
    }
    expect(seen).toEqual([{ city: 'Lis' }, { city: 'Lisbon' }, { city: 'Lisbon', days: 5 }]);
    expect(seen.at(-1)).toEqual({ city: 'Lisbon', days: 5 });
    expect(chat.messages()[1]).toMatchObject({ output: { city: 'Lisbon', days: 5 } });
  });
});
