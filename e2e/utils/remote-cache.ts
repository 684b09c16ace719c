import { createServer, type Server } from 'node:http';
import { mkdirSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A small Nx self-hosted remote cache on loopback (Nx's OpenAPI: `GET` and `PUT
 * /v1/cache/{hash}`, 404 for a miss, 409 for an entry that exists), storing entries in `dir`.
 * Counts what it served, so a test can say how many hits crossed checkouts.
 */
export async function startRemoteCache(
  dir: string,
): Promise<{ url: string; gets: () => number; puts: () => number; close: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  let gets = 0;
  let puts = 0;
  const server: Server = createServer((req, res) => {
    const m = /^\/v1\/cache\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    const file = path.join(dir, m[1]);
    if (req.method === 'GET') {
      if (!existsSync(file)) return void res.writeHead(404).end();
      gets++;
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
    } else if (req.method === 'PUT') {
      if (existsSync(file)) return void res.writeHead(409).end();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        writeFileSync(`${file}.part`, Buffer.concat(chunks));
        renameSync(`${file}.part`, file);
        puts++;
        res.writeHead(202).end();
      });
    } else res.writeHead(405).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    gets: () => gets,
    puts: () => puts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
