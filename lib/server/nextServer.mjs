// The dashboard's HTTP server: Next.js's request handler behind node:http, started by startDashboard in place
// of `next start`. It exists for one reason: `next start` keeps an `x-forwarded-for` header the client sent,
// so a client on the network could pick its own address (and its own upload rate-limit bucket). Here the
// header is always overwritten with the socket's peer address before Next sees the request.
// Plain JavaScript, so that it starts with `node` alone: node lib/server/nextServer.mjs DIR HOST PORT
import http from 'node:http';
import next from 'next';

const [dir, hostname, portText] = process.argv.slice(2);
const port = Number(portText);
const app = next({ dev: false, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  // The peer's address as the kernel saw it; whatever the client claimed is dropped.
  req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
  handle(req, res).catch((err) => {
    process.stderr.write(`dashboard: ${err instanceof Error ? err.message : String(err)}\n`);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Internal Server Error');
  });
});

server.on('error', (err) => {
  process.stderr.write(`dashboard: ${err.message}\n`);
  process.exit(1);
});
server.listen(port, hostname);

const stop = () => {
  server.close(() => process.exit(0));
  // Keep-alive connections would hold close() open; the parent's SIGKILL after 5 s is the backstop.
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
