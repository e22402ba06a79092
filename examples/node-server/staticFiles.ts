/**
 * A small static file handler for the example server: the browser page and the Angular app.
 * Not a production file server (no compression, no ranges, no ETags) — just enough, and safe
 * against `..` in paths.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** A directory served under a URL path prefix. */
export interface StaticMount {
  /** The URL prefix, with a trailing slash: `/` or `/angular/`. */
  readonly prefix: string;
  /** The directory it serves. */
  readonly dir: string;
  /** What to say when the directory does not exist yet (it is built by a script). */
  readonly missingHint: string;
  /** A single-page app: paths without an extension get `index.html`. */
  readonly spa?: boolean;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Serves `pathname` from the first mount whose prefix it starts with; `false` when none matches. */
export async function serveStatic(
  mounts: readonly StaticMount[],
  pathname: string,
  res: ServerResponse,
): Promise<boolean> {
  const mount = mounts.find(
    (candidate) => pathname.startsWith(candidate.prefix) || `${pathname}/` === candidate.prefix,
  );
  if (mount === undefined) return false;
  if (`${pathname}/` === mount.prefix) {
    res.writeHead(301, { location: mount.prefix }).end();
    return true;
  }

  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(mount.prefix.length));
  } catch {
    res.writeHead(400).end('Bad path');
    return true;
  }
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const file = normalize(join(mount.dir, relative));
  if (!file.startsWith(mount.dir + sep)) {
    res.writeHead(403).end('Forbidden');
    return true;
  }

  const found = (await isFile(file))
    ? file
    : mount.spa && extname(relative) === ''
      ? join(mount.dir, 'index.html')
      : undefined;
  if (found === undefined || !(await isFile(found))) {
    const missing = !(await isDirectory(mount.dir));
    res.writeHead(missing ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(missing ? `${mount.dir} is not built yet: ${mount.missingHint}\n` : 'Not found\n');
    return true;
  }
  res.writeHead(200, {
    'content-type': contentTypes[extname(found)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  createReadStream(found).pipe(res);
  return true;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
