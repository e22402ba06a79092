/** The step decision on its own: a pure function of the agent and the model response, no run. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decideNextStep } from '../../src/runner/nextStep.js';
import {
  Agent,
  ModelBehaviorError,
  ModelRefusalError,
  tool,
  type ModelResponse,
  type OutputItem,
} from '../../src/index.js';

const usage = { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 };
const response = (...output: OutputItem[]): ModelResponse => ({ output, usage });
const call = (name: string, callId = `c_${name}`): OutputItem => ({
  type: 'function_call',
  call_id: callId,
  name,
  arguments: '{}',
});
const say = (text: string): OutputItem => ({
  type: 'message',
  role: 'assistant',
  content: [{ type: 'output_text', text }],
});

const lookup = tool({ name: 'lookup', description: '', parameters: z.object({}), execute: () => 'found' });
const billing = new Agent({ name: 'Billing' });
const support = new Agent({ name: 'Support' });
const triage = new Agent({ name: 'Triage', tools: [lookup], handoffs: [billing, support] });

describe('decideNextStep', () => {
  it('a text answer is the final output', () => {
    expect(decideNextStep(triage, response(say('Hello.')))).toEqual({ type: 'final-output', output: 'Hello.' });
  });

  it('a structured answer is parsed and validated', () => {
    const agent = new Agent({ name: 'A', outputType: z.object({ city: z.string() }) });
    expect(decideNextStep(agent, response(say('{"city":"Lisbon"}')))).toEqual({
      type: 'final-output',
      output: { city: 'Lisbon' },
    });
    expect(() => decideNextStep(agent, response(say('{"town":1}')))).toThrow(ModelBehaviorError);
    expect(() => decideNextStep(agent, response(say('Lisbon')))).toThrow(/not valid JSON/);
  });

  it('tool calls and handoffs are run-tools, in call order; only the first handoff is carried out', () => {
    const step = decideNextStep(
      triage,
      response(say('One moment.'), call('lookup'), call('transfer_to_billing'), call('transfer_to_support')),
    );
    expect(step).toEqual({
      type: 'run-tools',
      calls: [
        { kind: 'function', call: expect.objectContaining({ name: 'lookup' }) },
        {
          kind: 'handoff',
          call: expect.objectContaining({ name: 'transfer_to_billing' }),
          target: 'Billing',
          carriedOut: true,
        },
        {
          kind: 'handoff',
          call: expect.objectContaining({ name: 'transfer_to_support' }),
          target: 'Support',
          carriedOut: false,
        },
      ],
    });
  });

  it('a response with neither a message nor a call asks the model again', () => {
    expect(decideNextStep(triage, response({ type: 'reasoning', summary: [] }))).toEqual({ type: 'call-model' });
  });

  it('a call to a tool the agent does not have is a ModelBehaviorError naming it', () => {
    expect(() => decideNextStep(triage, response(call('rm_rf')))).toThrow(/'rm_rf'/);
  });

  it('matches calls against the tools it is given (an MCP server’s, listed for the run), not only agent.tools', () => {
    const tools = [...triage.tools, { name: 'get-sum' }];
    expect(decideNextStep(triage, response(call('get-sum')), tools)).toEqual({
      type: 'run-tools',
      calls: [{ kind: 'function', call: call('get-sum') }],
    });
    expect(() => decideNextStep(triage, response(call('get-sum')))).toThrow(ModelBehaviorError);
  });

  it('a refusal is a ModelRefusalError', () => {
    const refused: OutputItem = { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] };
    expect(() => decideNextStep(triage, response(refused))).toThrow(ModelRefusalError);
  });

  it('is plain data: it survives JSON', () => {
    const step = decideNextStep(triage, response(call('lookup'), call('transfer_to_support')));
    expect(JSON.parse(JSON.stringify(step))).toEqual(step);
  });
});
