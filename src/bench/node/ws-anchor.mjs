// The anchor of SizeguardBench's read-before-close measurement: a Node `ws` echo server whose maxPayload is
// 65536, bound to 127.0.0.1 on a free port. It prints "listening <port>" once ready and exits when its standard
// input ends, so that it never outlives the benchmark that started it.
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 65536 });
server.on('listening', () => console.log(`listening ${server.address().port}`));
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('error', () => {}); // a 1009 is reported as an error on the server side; the client sees the close
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
