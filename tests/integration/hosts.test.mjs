// Host and Origin against the real binary (issue 6, item 5). Origin used to be compared with the
// request's own Host, so a DNS-rebinding page (Host: rebind.evil.example with the same Origin)
// signed in as the demo administrator. Now a Host that is not a public URL gets 421
// misdirected_request and Origin is compared with the public URLs (--public-url, default the
// listen addresses and localhost).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RawConnection, assertAlive, kDemo, kDemoPassword, runBeian, startServer } from './lib/server.mjs';

// One request on its own connection, with exactly the headers given (fetch cannot set Host).
async function raw(port, method, target, headers, body = '') {
  const conn = await new RawConnection(port).open();
  try {
    const lines = [`${method} ${target} HTTP/1.1`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    if (body !== '') {
      lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    }
    lines.push('Connection: close');
    await conn.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    const res = await conn.next();
    return { ...res, data: res.body && res.headers['content-type']?.includes('json') ? JSON.parse(res.body) : null };
  } finally {
    conn.destroy();
  }
}

const login = JSON.stringify({ email: kDemo.admin, password: kDemoPassword });

describe('default public URLs: the listen addresses and localhost', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('DNS rebinding: Host rebind.evil.example with the same Origin gets 421 and no session', async () => {
    const r = await raw(server.agentPort, 'POST', '/api/v1/auth/login',
      { Host: 'rebind.evil.example', Origin: 'http://rebind.evil.example' }, login);
    assert.equal(r.status, 421, r.body);
    assert.equal(r.data.error.code, 'misdirected_request');
    assert.equal(r.headers['set-cookie'], undefined);
    for (const [port, target] of [[server.agentPort, '/'], [server.agentPort, '/api/v1/me'],
      [server.agentPort, '/metrics'], [server.authorityPort, '/authority/v1/me']]) {
      const g = await raw(port, 'GET', target, { Host: `rebind.evil.example:${port}` });
      assert.equal(g.status, 421, `${target}: ${g.body}`);
    }
  });

  test('the listen address and localhost on its port are served; other ports are not', async () => {
    const port = server.agentPort;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      const r = await raw(port, 'GET', '/api/v1/me', { Host: host });
      assert.equal(r.status, 401, `${host}: ${r.body}`); // reached the route: not signed in
    }
    for (const host of ['127.0.0.1', `127.0.0.1:${server.authorityPort}`, `localhost:${port + 1}`]) {
      const r = await raw(port, 'GET', '/api/v1/me', { Host: host });
      assert.equal(r.status, 421, `${host}: ${r.body}`);
    }
  });

  test('probes by any address: /healthz and /readyz answer whatever the Host', async () => {
    for (const target of ['/healthz', '/readyz']) {
      const r = await raw(server.agentPort, 'GET', target, { Host: '10.20.30.40:8080' });
      assert.equal(r.status, 200, `${target}: ${r.body}`);
    }
  });

  test('Origin is compared with the public URLs, not with the Host', async () => {
    const port = server.agentPort;
    const ok = await raw(port, 'POST', '/api/v1/auth/login',
      { Host: `127.0.0.1:${port}`, Origin: `http://localhost:${port}` }, login);
    assert.equal(ok.status, 200, ok.body);
    for (const origin of [`http://127.0.0.1:${server.authorityPort}`, `https://127.0.0.1:${port}`,
      'http://rebind.evil.example', 'null']) {
      const r = await raw(port, 'POST', '/api/v1/auth/login', { Host: `127.0.0.1:${port}`, Origin: origin }, login);
      assert.equal(r.status, 403, `${origin}: ${r.body}`);
      assert.equal(r.data.error.code, 'csrf_failed');
    }
  });

  test('the server lives on', async () => {
    await assertAlive(server);
  });
});

describe('--public-url (and BEIAN_PUBLIC_URL, comma-separated)', () => {
  let server;
  before(async () => {
    process.env.BEIAN_PUBLIC_URL = 'https://beian.example.test,https://authority.example.test:8443/';
    try {
      server = await startServer();
    } finally {
      delete process.env.BEIAN_PUBLIC_URL;
    }
  });
  after(async () => {
    await server?.stop();
  });

  test('the public names are served, the listen address no longer is', async () => {
    const port = server.agentPort;
    const ok = await raw(port, 'POST', '/api/v1/auth/login',
      { Host: 'beian.example.test', Origin: 'https://beian.example.test' }, login);
    assert.equal(ok.status, 200, ok.body);
    const other = await raw(port, 'GET', '/api/v1/me', { Host: 'authority.example.test:8443' });
    assert.equal(other.status, 401, other.body);
    const local = await raw(port, 'GET', '/api/v1/me', { Host: `127.0.0.1:${port}` });
    assert.equal(local.status, 421, local.body);
    const plain = await raw(port, 'POST', '/api/v1/auth/login',
      { Host: 'beian.example.test', Origin: 'http://beian.example.test' }, login);
    assert.equal(plain.status, 403, `http is not the published scheme: ${plain.body}`);
  });

  test('the two services still reach each other at their listen addresses', async () => {
    // The agent's registry copy caught up through the authority's signed feed (startServer waits
    // for /readyz, which needs it), and the signed routes answer by address: 401 for an unsigned
    // call, not 421.
    const feed = await raw(server.authorityPort, 'GET', '/authority/v1/registry/changes?since=0',
      { Host: `127.0.0.1:${server.authorityPort}` });
    assert.equal(feed.status, 401, feed.body);
    const events = await raw(server.agentPort, 'POST', '/api/v1/authority/events',
      { Host: `127.0.0.1:${server.agentPort}` }, '{}');
    assert.equal(events.status, 401, events.body);
    // The consoles are still refused by address.
    const page = await raw(server.authorityPort, 'GET', '/authority/v1/me',
      { Host: `127.0.0.1:${server.authorityPort}` });
    assert.equal(page.status, 421, page.body);
  });

  test('a malformed --public-url refuses to start', async () => {
    for (const url of ['beian.example.test', 'https://beian.example.test/app', 'ftp://x.example']) {
      const r = await runBeian(['serve', '--public-url', url, '--data-dir', server.db.dataDir]);
      assert.equal(r.code, 2, `${url}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /--public-url/);
    }
  });
});
