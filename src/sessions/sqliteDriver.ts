// The two synchronous SQLite drivers SQLiteSession runs on, behind the small surface they share.
// Neither is imported until a session first touches its database, so importing
// `rxjs-agents/sessions` loads neither, and an application that never opens an SQLiteSession
// needs neither installed.

/** The SQLite driver an {@link SQLiteSession} runs on. */
export type SQLiteDriver = 'node:sqlite' | 'better-sqlite3';

/** A value bound to a statement's `?`. */
export type SQLiteValue = string | number;

/** What SQLiteSession uses of a prepared statement: the same in `node:sqlite` and `better-sqlite3`. */
export interface SQLiteStatement {
  run(...params: SQLiteValue[]): unknown;
  get(...params: SQLiteValue[]): unknown;
  all(...params: SQLiteValue[]): unknown[];
}

/** What SQLiteSession uses of a connection: the same in `node:sqlite` and `better-sqlite3`. */
export interface SQLiteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SQLiteStatement;
  close(): unknown;
}

type DatabaseConstructor = new (path: string) => SQLiteDatabase;

/** A driver that could not be loaded, and why; SQLiteSession turns it into a `SessionError`. */
export class SQLiteDriverUnavailable extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'SQLiteDriverUnavailable';
  }
}

const install = 'npm install better-sqlite3@12';

/**
 * Opens `path` on `driver`, or, without one, on `node:sqlite` where this Node has it (22.13+, 24)
 * and else on `better-sqlite3`. Throws {@link SQLiteDriverUnavailable} saying what to install
 * when the driver (or neither) can be loaded.
 */
export async function openSQLite(
  path: string,
  driver: SQLiteDriver | undefined,
): Promise<{ readonly database: SQLiteDatabase; readonly driver: SQLiteDriver }> {
  if (driver !== undefined) {
    const loaded = await load(driver);
    if (!loaded.ok) {
      throw new SQLiteDriverUnavailable(
        driver === 'node:sqlite'
          ? `node:sqlite could not be loaded: it needs Node 22.13+ or 24 (this is Node ${nodeVersion()}); or use better-sqlite3 (${install}).`
          : `better-sqlite3 could not be loaded: install it (${install}), or run \`npm rebuild better-sqlite3\` if it was built for another Node.`,
        loaded.cause,
      );
    }
    return { database: new loaded.Database(path), driver };
  }
  const builtIn = await load('node:sqlite');
  if (builtIn.ok) return { database: new builtIn.Database(path), driver: 'node:sqlite' };
  const package_ = await load('better-sqlite3');
  if (package_.ok) return { database: new package_.Database(path), driver: 'better-sqlite3' };
  throw new SQLiteDriverUnavailable(
    `SQLiteSession needs node:sqlite (Node 22.13+ or 24; this is Node ${nodeVersion()}) or the better-sqlite3 package: ${install}.`,
    new AggregateError([builtIn.cause, package_.cause], 'Neither SQLite driver could be loaded.'),
  );
}

type Loaded =
  { readonly ok: true; readonly Database: DatabaseConstructor } | { readonly ok: false; readonly cause: unknown };

/** Each driver's loading, done once per process: a driver that loads (or does not) keeps doing so. */
const loads = new Map<SQLiteDriver, Promise<Loaded>>();

function load(driver: SQLiteDriver): Promise<Loaded> {
  let loading = loads.get(driver);
  if (loading === undefined) {
    loading = loadOnce(driver);
    loads.set(driver, loading);
  }
  return loading;
}

async function loadOnce(driver: SQLiteDriver): Promise<Loaded> {
  try {
    if (driver === 'node:sqlite') {
      const module_ = (await importByName('node:sqlite')) as { DatabaseSync?: unknown };
      return constructorOf(module_.DatabaseSync, driver);
    }
    const module_ = (await importByName('better-sqlite3')) as { default?: unknown };
    const loaded = constructorOf(module_.default, driver);
    // better-sqlite3 loads its native binding on the first `new Database`: one built for another
    // Node (ERR_DLOPEN_FAILED) makes the driver unavailable, not the database unopenable.
    if (loaded.ok) new loaded.Database(':memory:').close();
    return loaded;
  } catch (cause) {
    return { ok: false, cause };
  }
}

function constructorOf(value: unknown, driver: SQLiteDriver): Loaded {
  return typeof value === 'function'
    ? { ok: true, Database: value as DatabaseConstructor }
    : { ok: false, cause: new TypeError(`${driver} has no database class where one was expected.`) };
}

/**
 * `import(specifier)` with a specifier bundlers leave alone: a browser bundle of
 * `rxjs-agents/sessions` (for `MemorySession`) must not try to resolve `node:sqlite` or
 * `better-sqlite3`, and TypeScript need not know their types (`@types/node` 20 has no
 * `node:sqlite`; better-sqlite3's types are not ours to require).
 */
function importByName(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

/** The running Node's version, or `'not Node'` (a browser that reached this far). */
function nodeVersion(): string {
  return (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ?? 'not Node';
}
