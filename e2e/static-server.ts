/**
 * A minimal static file server for the deployment tests: serves a built app from a directory
 * under a sub-path (as a GitHub Pages project site does, e.g. /recsys-playground/), with the
 * response headers a test chooses (none: no cross-origin isolation; a Content-Security-Policy).
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A running server: its base URL (ending in `/`) and how to stop it. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` at `http://localhost:<port><base>` (`base` starts and ends with `/`); `/` and
 * anything outside `base` answer 404, `base` itself answers index.html. Every answer carries
 * `headers`.
 */
export async function serveStatic(
  dir: string,
  base: string,
  headers: Record<string, string> = {},
  port = 0,
): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404, headers).end('not under the base path');
      return;
    }
    const rel = normalize(path.slice(base.length) || 'index.html');
    if (rel.startsWith('..')) {
      res.writeHead(403, headers).end();
      return;
    }
    try {
      const body = await readFile(join(dir, rel));
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(port, 'localhost', resolve));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://localhost:${actual}${base}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
