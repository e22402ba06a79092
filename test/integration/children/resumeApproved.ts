/**
 * A second process for test/integration/approvalOverHttp.spec.ts: it defines the agent anew, reads
 * a stored RunState from the file named in argv, approves (or rejects) what waits, and runs the
 * state to its end against the server at argv's URL. It prints one JSON line: the result and
 * which tools ran here.
 */
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { run, RunState } from '../../../src/index.js';
import { refundAgent } from './refundAgent.js';

const [stateFile, url, decision] = process.argv.slice(2) as [string, string, 'approve' | 'reject'];
const ran: string[] = [];
const agent = refundAgent(new OpenAI({ apiKey: 'sk-test-child', baseURL: url, maxRetries: 0 }), ran);
const state = RunState.fromJSON(agent, readFileSync(stateFile, 'utf8'));
for (const { callId } of state.interruptions) {
  if (decision === 'approve') state.approve(callId);
  else state.reject(callId, { message: 'Declined by a manager.' });
}
const result = await run(agent, state);
process.stdout.write(`${JSON.stringify({ status: result.status, finalOutput: result.finalOutput, ran })}\n`);
