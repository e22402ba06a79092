/**
 * One process's use of a session, for crossProcess.spec.ts: opens the store, does one thing, closes
 * it and exits, so what another process sees can only have come through the store.
 *
 *   node --import tsx test/sessions/sessionProcess.ts <sqlite|postgres> <file or data dir> <session id> add <items as JSON>
 *   node --import tsx test/sessions/sessionProcess.ts <sqlite|postgres> <file or data dir> <session id> get
 *   node --import tsx test/sessions/sessionProcess.ts sqlite <file> <session id> batches <label> <count>
 *
 * `batches` prints `ready`, waits for a line on stdin, then adds `count` batches of three items each, `<label> <batch> <item>`, one addItems call each.
 * and prints when it started and ended (`{ started, ended }`, ms). `get` prints
 * `{ "driver"?, "items" }` as JSON on stdout.
 */
import { PGlite } from '@electric-sql/pglite';
import type { InputItem, Session } from '../../src/index.js';
import { PostgresSession, SQLiteSession } from '../../src/sessions/index.js';

const [store, location, sessionId, action, json, count] = process.argv.slice(2);
if (store === undefined || location === undefined || sessionId === undefined || action === undefined) {
  throw new Error('usage: sessionProcess.ts <sqlite|postgres> <location> <session id> <add|get> [items]');
}

let session: Session;
let close: () => Promise<void>;
let driver: string | undefined;
if (store === 'sqlite') {
  const sqlite = new SQLiteSession({ sessionId, path: location });
  session = sqlite;
  close = () => sqlite.close();
  driver = await sqlite.driver();
} else {
  const db = await PGlite.create(location);
  session = new PostgresSession({ client: db, sessionId });
  close = () => db.close();
}

if (action === 'add') {
  await session.addItems(JSON.parse(json ?? '[]') as InputItem[]);
} else if (action === 'batches') {
  // Open the database, say so, and wait for the go (a line on stdin), so that two such processes
  // add at the same time rather than one after the other's start-up.
  await session.getItems(1);
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const started = Date.now();
  for (let batch = 0; batch < Number(count); batch++) {
    await session.addItems(
      [0, 1, 2].map((item) => ({ type: 'message', role: 'user', content: `${json} ${batch} ${item}` }) as const),
    );
  }
  process.stdout.write(JSON.stringify({ started, ended: Date.now() }));
} else {
  process.stdout.write(JSON.stringify({ driver, items: await session.getItems() }));
}
await close();
