/**
 * The in-process pipelines of part 2 (see pipeline.ts): each runs N deltas from a synchronous
 * source to a sink of chunks of `size` deltas, and returns the characters the sink received.
 */
import * as openaiAgents from '@openai/agents';
import { streamText } from 'ai';
import { bufferCount, filter, map, type Observable } from 'rxjs';
import { Agent, runStreamed, type ModelEvent } from 'rxjs-agents';
import { bufferTokens, filterTextDeltas } from 'rxjs-agents/operators';
import { agentsSdkModel, aiSdkModel, emitAll, syncModel, textModelEvents } from './syntheticModels.js';

export interface Contender {
  readonly name: string;
  readonly role: 'context' | 'floor' | 'rxjs-agents' | 'decomposition' | 'peer';
  /** Runs once; resolves with the number of characters the sink received. */
  run(): number | Promise<number>;
}

/** Subscribes and sums the chunks' lengths; every contender here completes synchronously. */
function drainSync(chunks: Observable<string>): number {
  let chars = 0;
  let completed = false;
  chunks.subscribe({ next: (chunk) => (chars += chunk.length), complete: () => (completed = true) });
  if (!completed) throw new Error('expected a synchronous pipeline');
  return chars;
}

/** The peers' sink: the same chunks of `size` deltas, joined, from an async iterable of text. */
async function drainAsync(texts: AsyncIterable<string>, size: number): Promise<number> {
  let chars = 0;
  let held: string[] = [];
  for await (const text of texts) {
    held.push(text);
    if (held.length === size) {
      chars += held.join('').length;
      held = [];
    }
  }
  if (held.length > 0) chars += held.join('').length;
  return chars;
}

export function pipelineContenders(deltas: readonly string[], size: number): Contender[] {
  const events = textModelEvents(deltas);
  const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model: syncModel(events) });
  const isDelta = (event: ModelEvent): event is Extract<ModelEvent, { type: 'text-delta' }> =>
    event.type === 'text-delta';
  const join = (pieces: string[]): string => pieces.join('');

  openaiAgents.setTracingDisabled(true);
  const peerAgent = new openaiAgents.Agent({
    name: 'Assistant',
    instructions: 'Be brief.',
    model: agentsSdkModel(deltas),
  });
  const aiModel = aiSdkModel(deltas);

  return [
    {
      name: 'plain loop over the events (no RxJS)',
      role: 'context',
      run: () => {
        let chars = 0;
        let held: string[] = [];
        for (const event of events) {
          if (event.type !== 'text-delta') continue;
          held.push(event.delta);
          if (held.length === size) {
            chars += held.join('').length;
            held = [];
          }
        }
        if (held.length > 0) chars += held.join('').length;
        return chars;
      },
    },
    {
      name: 'bare RxJS: filter → map → bufferCount(16) → join',
      role: 'floor',
      run: () =>
        drainSync(
          emitAll(events).pipe(
            filter(isDelta),
            map((event) => event.delta),
            bufferCount(size),
            map(join),
          ),
        ),
    },
    {
      name: 'rxjs-agents: runStreamed → filterTextDeltas → bufferTokens(16)',
      role: 'rxjs-agents',
      run: () => drainSync(runStreamed(agent, 'Hi').pipe(filterTextDeltas(), bufferTokens(size))),
    },
    {
      name: '  of which runStreamed: runStreamed → bare operators',
      role: 'decomposition',
      run: () =>
        drainSync(
          runStreamed(agent, 'Hi').pipe(
            filter((event) => event.type === 'text-delta'),
            map((event) => (event as { delta: string }).delta),
            bufferCount(size),
            map(join),
          ),
        ),
    },
    {
      name: '  of which the operators: bare source → filterTextDeltas → bufferTokens(16)',
      role: 'decomposition',
      run: () =>
        drainSync(
          emitAll(events).pipe(
            filter(isDelta),
            map((event) => ({ type: 'text-delta' as const, agent: 'Assistant', turn: 1, delta: event.delta })),
            filterTextDeltas(),
            bufferTokens(size),
          ),
        ),
    },
    {
      name: '@openai/agents: run(stream) → toTextStream, fake Model',
      role: 'peer',
      run: async () => {
        const result = await openaiAgents.run(peerAgent, 'Hi', { stream: true });
        const chars = await drainAsync(result.toTextStream(), size);
        await result.completed;
        return chars;
      },
    },
    {
      name: 'ai: streamText → textStream, MockLanguageModelV3',
      role: 'peer',
      run: () => drainAsync(streamText({ model: aiModel, prompt: 'Hi', onError: () => {} }).textStream, size),
    },
  ];
}
