// A small read-only web server for the demo's two other origins: the brand's own site and the
// testimonial service that hosts the wall the site embeds (as brands and such services serve
// them, apart from the collector, which stays up or goes down on its own).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.webm': 'video/webm' };

/** Serves `folder` on 127.0.0.1:`port` with `headers` on every file; resolves once listening. */
export function serveFolder({ folder, port, headers = {} }) {
  const server = createServer(async (request, response) => {
    try {
      // normalize() keeps an absolute path inside the root: "/../x" is "/x".
      const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
      const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
      const type = types[extname(file)];
      if (!['GET', 'HEAD'].includes(request.method) || path.includes('\0') || !type) return notFound(response);
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      notFound(response);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function notFound(response) {
  response.writeHead(404, { 'Content-Type': 'text/plain' });
  response.end('not found\n');
}
