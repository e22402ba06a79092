/**
 * One run of a conversation kept in a session, in a process of its own, for
 * test/integration/sessionAcrossProcesses.spec.ts: `<sqlite|postgres> <store path> <server url> <question>`.
 * It prints the run's final output; the store outlives the process.
 */
import { PGlite } from '@electric-sql/pglite';
import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, run, type Session } from '../../../src/index.js';
import { PostgresSession, SQLiteSession } from '../../../src/sessions/index.js';

const [kind, store, url, question] = process.argv.slice(2) as ['sqlite' | 'postgres', string, string, string];
const client = new OpenAI({ apiKey: 'sk-test-session', baseURL: url, maxRetries: 0 });
const agent = new Agent({ name: 'Chat', model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client }) });

let close: () => Promise<void>;
let session: Session;
if (kind === 'sqlite') {
  const sqlite = new SQLiteSession({ sessionId: 'user-42', path: store });
  session = sqlite;
  close = () => sqlite.close();
} else {
  const db = await PGlite.create(store);
  session = new PostgresSession({ client: db, sessionId: 'user-42' });
  close = () => db.close();
}
try {
  const result = await run(agent, question, { session });
  process.stdout.write(`${JSON.stringify(result.finalOutput)}\n`);
} finally {
  await close();
}
