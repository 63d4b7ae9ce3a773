// Node ws 8.16.0 against a guarded endpoint, as an application would use it: perMessageDeflate on (ws then
// compresses every message above 1 KiB). Run by CompressingClientsIT: node ws-check.mjs ws://127.0.0.1:8080/sizeguard
// Prints one line per check; the IT asserts on them. Exits 1 if a check cannot complete.
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';

const base = process.argv[2];
const TIMEOUT_MS = 30_000;

function open(path) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path, { perMessageDeflate: true, maxPayload: 512 * 1024 * 1024 });
    const timer = setTimeout(() => reject(new Error('no handshake within 30 s')), TIMEOUT_MS);
    ws.once('open', () => { clearTimeout(timer); resolve(ws); });
    ws.once('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

function reply(ws, payload, binary) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reply within 30 s')), TIMEOUT_MS);
    ws.once('message', (data, isBinary) => { clearTimeout(timer); resolve({ data, isBinary }); });
    ws.once('close', (code, reason) => { clearTimeout(timer); reject(new Error(`closed ${code} ${reason}`)); });
    ws.send(payload, { binary });
  });
}

function closeAfter(ws, payload, binary) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no close within 30 s')), TIMEOUT_MS);
    ws.once('close', (code, reason) => { clearTimeout(timer); resolve(`${code} ${reason.toString()}`); });
    ws.on('error', () => {}); // the server may reset the connection after its close frame
    ws.send(payload, { binary });
  });
}

const echo = await open('/echo');
console.log(`negotiated: ${echo.extensions || '(none)'}`);
const text = 'café 😀 message size is a policy; '.repeat(1500);
const textReply = await reply(echo, text, false);
console.log(`text echo intact: ${!textReply.isBinary && textReply.data.toString() === text}`);
const binary = randomBytes(200_000);
const binaryReply = await reply(echo, binary, true);
console.log(`binary echo intact: ${binaryReply.isBinary && Buffer.compare(binaryReply.data, binary) === 0}`);
echo.close(1000);

const textBomb = await open('/echo');
console.log(`64 MiB text: ${await closeAfter(textBomb, 'a'.repeat(64 * 1024 * 1024), false)}`);
const binaryBomb = await open('/echo');
console.log(`256 MiB binary: ${await closeAfter(binaryBomb, Buffer.alloc(256 * 1024 * 1024), true)}`);

const after = await open('/echo');
const afterReply = await reply(after, 'after the bombs', false);
console.log(`fresh session: ${afterReply.data.toString()}`);
after.close(1000);
console.log('DONE');
