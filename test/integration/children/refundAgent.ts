/** The agent of the approval specs over HTTP, the same in the test process and in its child. */
import type OpenAI from 'openai';
import { z } from 'zod';
import { Agent, OpenAIResponsesModel, tool } from '../../../src/index.js';

export function refundAgent(client: OpenAI, ran: string[]) {
  const refund = tool({
    name: 'refund',
    description: 'Refunds an order.',
    parameters: z.object({ order: z.number() }),
    needsApproval: ({ order }) => order !== 0,
    execute: ({ order }) => {
      ran.push(`refund ${order}`);
      return `refunded ${order}`;
    },
  });
  const lookup = tool({
    name: 'lookup',
    description: 'Looks an order up.',
    parameters: z.object({ order: z.number() }),
    execute: ({ order }) => {
      ran.push(`lookup ${order}`);
      return { order, total: 40 };
    },
  });
  return new Agent({
    name: 'Support',
    model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client }),
    tools: [refund, lookup],
  });
}
