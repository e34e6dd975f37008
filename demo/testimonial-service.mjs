// The second origin of the demo: a testimonial service hosting the brand's testimonial wall, as
// such services host walls that brands embed with an iframe. It serves one folder read-only and
// lets only the brand's origin frame it (CSP frame-ancestors).
//   node demo/testimonial-service.mjs --folder DIR --port N --embedded-in ORIGIN
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.webm': 'video/webm' };

/** Serves `folder` on 127.0.0.1:`port` until closed; resolves once listening. */
export function startTestimonialService({ folder, port, embeddedIn }) {
  const server = createServer(async (request, response) => {
    try {
      // normalize() keeps an absolute path inside the root: "/../x" is "/x".
      const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
      const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
      const type = types[extname(file)];
      if (request.method !== 'GET' || path.includes('\0') || !type) return refuse(response, 404);
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length,
        'Content-Security-Policy': `frame-ancestors ${embeddedIn}`, 'X-Content-Type-Options': 'nosniff' });
      response.end(body);
    } catch {
      refuse(response, 404);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function refuse(response, status) {
  response.writeHead(status, { 'Content-Type': 'text/plain' });
  response.end('not found\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const option = (name) => {
    const at = process.argv.indexOf(`--${name}`);
    if (at < 0 || !process.argv[at + 1]) {
      console.error(`testimonial-service: --${name} is required (--folder DIR --port N --embedded-in ORIGIN)`);
      process.exit(2);
    }
    return process.argv[at + 1];
  };
  const server = await startTestimonialService({ folder: option('folder'), port: Number(option('port')),
    embeddedIn: option('embedded-in') });
  console.log(`testimonial service listening on http://127.0.0.1:${server.address().port}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}
