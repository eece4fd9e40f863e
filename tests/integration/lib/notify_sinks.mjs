// Sinks for the notification tests, all on 127.0.0.1: an SMTP listener (python3-aiosmtpd,
// smtp_sink.py) and an SMS gateway (node:http), each recording what it received.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { freePort, kRepo } from './server.mjs';

// Debian's python3 has python3-aiosmtpd; another python3 first on PATH (pyenv) may not.
const kPython = process.env.BEIAN_PYTHON ??
  (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const kSmtpSink = path.join(kRepo, 'tests', 'integration', 'lib', 'smtp_sink.py');

// An SMTP listener (see smtp_sink.py for the modes): {port, messages, refusals, started, stop()}.
export async function smtpSink(mode, n = 0) {
  const port = await freePort();
  const child = spawn(kPython, [kSmtpSink, String(port), mode, String(n)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const sink = { port, messages: [], refusals: [], started: [], child };
  const lines = readline.createInterface({ input: child.stdout });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`smtp_sink.py exited ${code}`)));
    lines.on('line', (line) => {
      if (line === 'ready') return resolve();
      const m = JSON.parse(line);
      if (m.refused) sink.refusals.push(m);
      else if (m.data_started) sink.started.push(m);
      else sink.messages.push(m);
    });
  });
  sink.stop = () => {
    child.stdin.end();
    child.kill('SIGTERM');
  };
  return sink;
}

// An SMS gateway: answer(request, n) → {status, body}; records every request.
export async function smsSink(answer = () => ({ status: 200 })) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const r = { method: req.method, url: req.url, headers: req.headers, body: JSON.parse(body) };
      requests.push(r);
      const a = answer(r, requests.length);
      const reply = () => {
        res.writeHead(a.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(a.body ?? {}));
      };
      // A gateway slower than the client's timeout answers anyway, later.
      if (a.delayMs) setTimeout(reply, a.delayMs);
      else reply();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/v1/sms`, requests,
    stop: () => new Promise((resolve) => server.close(resolve)) };
}
