// The JavaScript transfer client as the WAR serves it (/sizeguard/js/sizeguard.js), unchanged, under Node.js 20 with
// ws 8.16.0. Run by TransferClientsIT: node transfer-check.mjs http://127.0.0.1:8080/sizeguard
// Prints one line per check; the IT asserts on them. Exits 1 if a check cannot complete.
import WebSocket from 'ws';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const base = process.argv[2].replace(/\/$/, '');
const wsBase = base.replace(/^http/, 'ws');

// The module exactly as served, imported from a file (Node does not import over HTTP).
const served = await fetch(`${base}/js/sizeguard.js`);
if (!served.ok || !(served.headers.get('content-type') || '').includes('javascript')) {
  throw new Error(`GET /js/sizeguard.js: ${served.status} ${served.headers.get('content-type')}`);
}
const file = join(await mkdtemp(join(tmpdir(), 'sizeguard-')), 'sizeguard.mjs');
await writeFile(file, await served.text());
const { sendChunked } = await import(pathToFileURL(file).href);

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const options = (extra = {}) => ({ WebSocket, ...extra });

async function check(name, data, extra) {
  const receipt = await sendChunked(`${wsBase}/transfer`, data, options(extra));
  const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
  console.log(`${name}: ${receipt.bytes} bytes, sha256 ${receipt.sha256 === sha256(bytes) ? 'matches' : 'DIFFERS'}`);
  return receipt;
}

await check('array transfer', randomBytes(5 * 1024 * 1024), { metadata: { name: 'five.bin' } });
await check('empty transfer', new Uint8Array(0));
await check('one chunk', randomBytes(256 * 1024));
await check('blob transfer', new Blob([randomBytes(3 * 1024 * 1024)], { type: 'application/octet-stream' }));

// A proxy that cuts the first WebSocket connection once the client has sent 1.5 MB through it (the module's GET of
// the limits passes untouched): the client resumes by itself.
const target = new URL(base);
let connections = 0;
const proxy = createServer((client) => {
  const server = connect(Number(target.port), target.hostname);
  let cutting = null;
  let passed = 0;
  client.on('data', (chunk) => {
    if (cutting === null) {
      cutting = /upgrade:\s*websocket/i.test(chunk.toString('latin1')) && ++connections === 1;
    }
    passed += chunk.length;
    if (cutting && passed > 1_500_000) {
      client.resetAndDestroy();
      server.resetAndDestroy();
      return;
    }
    server.write(chunk);
  });
  server.on('data', (chunk) => client.write(chunk));
  client.on('error', () => server.destroy());
  server.on('error', () => client.destroy());
  client.on('close', () => server.destroy());
  server.on('close', () => client.destroy());
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const resumed = randomBytes(6 * 1024 * 1024);
let resumes = 0;
const receipt = await sendChunked(`ws://127.0.0.1:${proxy.address().port}${target.pathname}/transfer`, resumed,
  options({ backOffMs: 100, onProgress: (progress) => { resumes = progress.resumes; } }));
console.log(`resumed transfer: sha256 ${receipt.sha256 === sha256(resumed) ? 'matches' : 'DIFFERS'}, `
  + `${connections} WebSocket connections, ${resumes} resumes`);
proxy.close();

try {
  await sendChunked(`${wsBase}/it/files`, new Blob([new Uint8Array(64 * 1024 * 1024 + 1)]), options());
  console.log('over the cap: accepted');
} catch (error) {
  console.log(`over the cap: ${error.code} ${error.reason}`);
}

const controller = new AbortController();
try {
  await sendChunked(`${wsBase}/transfer`, randomBytes(20 * 1024 * 1024), options({
    signal: controller.signal,
    onProgress: (progress) => { if (progress.bytes > 0) controller.abort(); },
  }));
  console.log('aborted: completed anyway');
} catch (error) {
  console.log(`aborted: ${error.name}`);
}

// The aborted transfer was cancelled on the server: nothing is left once the cancel has been read.
let left;
for (let tries = 0; tries < 100; tries++) {
  left = (await (await fetch(`${base}/stats`)).json()).activeTransfers;
  if (left === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.log(`transfers left: ${left}`);
console.log('DONE');
