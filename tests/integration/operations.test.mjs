// Operations against the real binary: health and readiness, Prometheus metrics, request ids
// (on responses and in log lines), security headers, the static web console (caching, SPA
// fallback, JSON 404s under the API, no path traversal) and keep-alive.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  RawConnection,
  assertAlive,
  assertError,
  kBackend,
  kDemo,
  kDemoPassword,
  kWebDir,
  makeDatabases,
  rawRequest,
  runBeian,
  sleep,
  startServer,
  uniqueEmail,
} from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

// Parses beian_http_requests_total lines into a Map "service route method status" → count.
async function requestCounters(baseUrl) {
  const res = await fetch(`${baseUrl}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const counters = new Map();
  const re = /^beian_http_requests_total\{service="([^"]*)",route="([^"]*)",method="([^"]*)",status="(\d+)"\} (\d+)$/gm;
  for (const m of text.matchAll(re)) counters.set(`${m[1]} ${m[2]} ${m[3]} ${m[4]}`, Number(m[5]));
  return { text, counters, contentType: res.headers.get('content-type') };
}

const kSecurityHeaders = {
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/i,
  'referrer-policy': /\S/,
  'content-security-policy': /frame-ancestors 'none'/,
};

function assertSecurityHeaders(headers, what) {
  for (const [name, re] of Object.entries(kSecurityHeaders)) {
    assert.match(headers.get(name) ?? '', re, `${what}: ${name}`);
  }
  assert.match(headers.get('content-security-policy'), /default-src 'self'/, what);
}

function firstAsset() {
  const dir = path.join(kWebDir, 'assets');
  const name = fs.readdirSync(dir).find((f) => f.endsWith('.js'));
  assert.ok(name, `no .js file in ${dir}`);
  return { name, body: fs.readFileSync(path.join(dir, name), 'utf8') };
}

describe('health, readiness and metrics', () => {
  test('the banner names the backend under test and the demo accounts', () => {
    const scheme = kBackend === 'postgres' ? 'postgresql://' : 'sqlite://';
    const out = server.stdout();
    assert.match(out, new RegExp(`provider console\\s+http://127\\.0\\.0\\.1:${server.agentPort}/`));
    assert.match(out, new RegExp(`authority console\\s+http://127\\.0\\.0\\.1:${server.authorityPort}/`));
    assert.equal(out.split(`(database ${scheme}`).length - 1, 2, out);
    for (const email of Object.values(kDemo)) assert.ok(out.includes(email), `banner lacks ${email}`);
  });

  test('/healthz and /readyz on both services', async () => {
    for (const url of [server.agentUrl, server.authorityUrl]) {
      const h = await fetch(`${url}/healthz`);
      assert.equal(h.status, 200);
      assert.match(h.headers.get('content-type'), /^application\/json/);
      assert.deepEqual(await h.json(), { status: 'ok' });
      const r = await fetch(`${url}/readyz`);
      assert.equal(r.status, 200);
      const ready = await r.json();
      if (url === server.agentUrl) {
        // The agent states what its public look-up serves (a caught-up copy here).
        assert.equal(ready.status, 'ready');
        assert.equal(ready.public_lookup.caught_up, true);
        assert.equal(ready.public_lookup.behind, 0);
        assert.equal(ready.public_lookup.authority, 'reachable');
        assert.equal(typeof ready.public_lookup.as_of_seq, 'number');
        assert.ok(!Number.isNaN(Date.parse(ready.public_lookup.as_of)));
      } else {
        assert.deepEqual(ready, { status: 'ready' });
      }
      const head = await fetch(`${url}/healthz`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
    }
  });

  test('/app-config.json names each service and its API base', async () => {
    const a = await (await fetch(`${server.agentUrl}/app-config.json`)).json();
    assert.equal(a.service, 'agent');
    assert.equal(a.api_base, '/api/v1');
    const b = await (await fetch(`${server.authorityUrl}/app-config.json`)).json();
    assert.equal(b.service, 'authority');
    assert.equal(b.api_base, '/authority/v1');
  });

  test('/metrics counts requests by route and status', async () => {
    const before0 = (await requestCounters(server.agentUrl)).counters;
    const key = (route, method, status) => `agent ${route} ${method} ${status}`;
    const count = (m, k) => m.get(k) ?? 0;
    for (let i = 0; i < 3; i += 1) await (await fetch(`${server.agentUrl}/healthz`)).text();
    const c = new Client(server.agentUrl);
    await c.get('/no/such/route');
    await c.get('/no/such/route/either');
    await c.get('/me');
    await c.post('/auth/register', { email: 'x' });
    await c.request('DELETE', '/me');
    const { counters: after1, text, contentType } = await requestCounters(server.agentUrl);
    assert.match(contentType, /^text\/plain/);
    assert.equal(count(after1, key('/healthz', 'GET', '200')) - count(before0, key('/healthz', 'GET', '200')), 3);
    assert.equal(count(after1, key('/api/v1/me', 'GET', '401')) - count(before0, key('/api/v1/me', 'GET', '401')), 1);
    assert.equal(
      count(after1, key('/api/v1/auth/register', 'POST', '400')) - count(before0, key('/api/v1/auth/register', 'POST', '400')),
      1,
    );
    // Unknown paths are counted without their path (no label explosion).
    const notFound = (m) => [...m].filter(([k]) => k.startsWith('agent ') && k.endsWith(' GET 404')).reduce((s, [, v]) => s + v, 0);
    assert.equal(notFound(after1) - notFound(before0), 2);
    assert.ok(![...after1.keys()].some((k) => k.includes('/no/such')), 'no raw paths as labels');
    const m405 = (m) => [...m].filter(([k]) => k.startsWith('agent ') && k.endsWith(' DELETE 405')).reduce((s, [, v]) => s + v, 0);
    assert.equal(m405(after1) - m405(before0), 1);
    // Latency histogram, in-flight gauge and database pool gauges are exported too.
    assert.match(text, /^# TYPE beian_http_request_duration_seconds histogram$/m);
    assert.match(text, /^beian_http_request_duration_seconds_bucket\{service="agent",route="\/healthz",method="GET",le="\+Inf"\} \d+$/m);
    assert.match(text, /^beian_http_in_flight_requests\{service="agent"\} \d+$/m);
    assert.match(text, /^beian_db_pool_size\{service="agent"\} \d+$/m);
    assert.match(text, /^beian_db_pool_in_use\{service="agent"\} \d+$/m);
    // Bucket bounds as written in the code, not "0.00050000000000000001".
    assert.match(text, /^beian_http_request_duration_seconds_bucket\{service="agent",route="\/healthz",method="GET",le="0\.0005"\} \d+$/m);
    assert.match(text, /le="2\.5"\}/);
    assert.doesNotMatch(text, /le="[^"]*0000000/);
  });

  test('unknown methods and paths do not create new metric series', async () => {
    const seriesBefore = (await requestCounters(server.agentUrl)).counters.size;
    for (const m of ['FOO', 'BAR', 'PROPFIND', 'X-RANDOM']) {
      const conn = await new RawConnection(server.agentPort).open();
      await conn.write(rawRequest(m, `/x/${m}/${Date.now()}`, { port: server.agentPort, headers: { Connection: 'close' } }));
      const res = await conn.next();
      assert.ok(res.status >= 400 && res.status < 500, `${m}: ${res.status}`);
      conn.destroy();
    }
    const { counters } = await requestCounters(server.agentUrl);
    assert.ok(![...counters.keys()].some((k) => /FOO|BAR|PROPFIND|RANDOM/.test(k)), [...counters.keys()].join('\n'));
    assert.ok(counters.size <= seriesBefore + 2, `series grew from ${seriesBefore} to ${counters.size}`);
  });

  test('the authority has its own metrics', async () => {
    await (await fetch(`${server.authorityUrl}/healthz`)).text();
    const { counters } = await requestCounters(server.authorityUrl);
    assert.ok((counters.get('authority /healthz GET 200') ?? 0) >= 1, [...counters.keys()].join('\n'));
    assert.ok(![...counters.keys()].some((k) => k.startsWith('agent ')), 'agent series at the authority');
  });
});

describe('request ids and security headers', () => {
  test('every response gets a generated X-Request-Id', async () => {
    const ids = new Set();
    for (const p of ['/healthz', '/api/v1/me', '/api/v1/nope', '/', '/metrics']) {
      const res = await fetch(`${server.agentUrl}${p}`);
      await res.arrayBuffer();
      const id = res.headers.get('x-request-id');
      assert.match(id ?? '', /^[A-Za-z0-9._:-]{8,64}$/, `${p}: ${id}`);
      ids.add(id);
    }
    assert.equal(ids.size, 5, 'ids are unique');
  });

  test('a well-formed incoming X-Request-Id is echoed; a malformed one is replaced', async () => {
    for (const id of ['it-req.1:A_b-2', 'a', 'x'.repeat(64)]) {
      const res = await fetch(`${server.agentUrl}/healthz`, { headers: { 'X-Request-Id': id } });
      assert.equal(res.headers.get('x-request-id'), id);
    }
    const e = await fetch(`${server.agentUrl}/api/v1/nope`, { headers: { 'X-Request-Id': 'it-on-error' } });
    assert.equal(e.status, 404);
    assert.equal(e.headers.get('x-request-id'), 'it-on-error');
    for (const bad of ['has space', 'x'.repeat(65), '<script>', 'ünïcode', 'a,b']) {
      const res = await fetch(`${server.agentUrl}/healthz`, { headers: { 'X-Request-Id': encodeURI(bad) === bad ? bad : Buffer.from(bad).toString('latin1') } });
      const got = res.headers.get('x-request-id');
      assert.ok(got && got !== bad, `malformed ${JSON.stringify(bad)} echoed`);
      assert.match(got, /^[A-Za-z0-9._:-]{1,64}$/);
    }
  });

  test('the request id appears in the log lines of that request', async () => {
    const id = `it-log-${Date.now()}`;
    const c = new Client(server.agentUrl);
    const r = await c.post('/auth/login', { email: uniqueEmail('logid'), password: 'not-a-password' }, {
      headers: { 'X-Request-Id': id },
    });
    assertError(r, 401, 'invalid_credentials');
    assert.equal(r.headers.get('x-request-id'), id);
    // A failed login is logged at warn (the server runs with --log-level warn).
    let line;
    for (let i = 0; i < 20 && !line; i += 1) {
      line = server.stderr().split('\n').find((l) => l.includes(id));
      if (!line) await sleep(50);
    }
    assert.ok(line, `no log line with ${id}`);
    const entry = JSON.parse(line);
    assert.equal(entry.request_id, id);
    assert.ok(entry.time && entry.level && entry.event, line);
    // Passwords never reach the log.
    assert.ok(!server.stderr().includes('not-a-password'), 'password in the log');
  });

  test('security headers on API answers, errors, pages and assets (both services)', async () => {
    const asset = firstAsset();
    for (const [url, what] of [
      [`${server.agentUrl}/healthz`, 'healthz'],
      [`${server.agentUrl}/api/v1/me`, '401'],
      [`${server.agentUrl}/api/v1/nope`, '404'],
      [`${server.agentUrl}/`, 'index'],
      [`${server.agentUrl}/login`, 'fallback'],
      [`${server.agentUrl}/assets/${asset.name}`, 'asset'],
      [`${server.authorityUrl}/`, 'authority index'],
      [`${server.authorityUrl}/authority/v1/me`, 'authority 401'],
    ]) {
      const res = await fetch(url);
      await res.arrayBuffer();
      assertSecurityHeaders(res.headers, what);
    }
    const c = new Client(server.agentUrl);
    const r = await c.post('/auth/register', { nope: 1 });
    assertSecurityHeaders(r.headers, 'register 400');
  });
});

describe('static web console', () => {
  test('index.html is served at / with no-cache', async () => {
    const want = fs.readFileSync(path.join(kWebDir, 'index.html'), 'utf8');
    for (const url of [server.agentUrl, server.authorityUrl]) {
      const res = await fetch(`${url}/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.match(res.headers.get('cache-control') ?? '', /no-cache/);
      assert.equal(await res.text(), want);
    }
    const idx = await fetch(`${server.agentUrl}/index.html`);
    assert.equal(idx.status, 200);
    assert.match(idx.headers.get('cache-control') ?? '', /no-cache/);
  });

  test('a hashed asset is served immutable with its type', async () => {
    const asset = firstAsset();
    const res = await fetch(`${server.agentUrl}/assets/${asset.name}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /javascript/);
    const cc = res.headers.get('cache-control') ?? '';
    assert.match(cc, /immutable/);
    assert.match(cc, /max-age=\d{7,}/);
    assert.equal(await res.text(), asset.body);
    const css = fs.readdirSync(path.join(kWebDir, 'assets')).find((f) => f.endsWith('.css'));
    if (css) {
      const r = await fetch(`${server.agentUrl}/assets/${css}`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/css/);
      await r.arrayBuffer();
    }
  });

  test('ETag revalidation answers 304', async () => {
    const asset = firstAsset();
    const first = await fetch(`${server.agentUrl}/assets/${asset.name}`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    assert.ok(etag, 'ETag');
    const again = await fetch(`${server.agentUrl}/assets/${asset.name}`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
  });

  test('unknown non-API paths fall back to index.html (SPA routes)', async () => {
    const want = fs.readFileSync(path.join(kWebDir, 'index.html'), 'utf8');
    for (const p of ['/login', '/register', '/some/deep/route?x=1']) {
      const res = await fetch(`${server.agentUrl}${p}`);
      assert.equal(res.status, 200, p);
      assert.match(res.headers.get('content-type'), /^text\/html/, p);
      assert.match(res.headers.get('cache-control') ?? '', /no-cache/, p);
      assert.equal(await res.text(), want, p);
    }
    const auth = await fetch(`${server.authorityUrl}/login`);
    assert.equal(auth.status, 200);
    assert.equal(await auth.text(), want);
  });

  test('API paths and missing assets get a JSON 404, never the app', async () => {
    const c = new Client(server.agentUrl);
    for (const p of ['//api/v1/unknown', '//api/nope', '//api/v1/auth', '//authority/v1/me']) {
      assertError(await c.get(p), 404, 'not_found', p);
    }
    const a = new Client(server.authorityUrl);
    for (const p of ['//authority/v1/unknown', '//api/v1/me']) {
      assertError(await a.get(p), 404, 'not_found', `authority ${p}`);
    }
    const missing = await c.get('//assets/does-not-exist-1234.js');
    assert.equal(missing.status, 404);
    assert.ok(!missing.text.includes('<html'), 'a missing asset is not the app');
  });

  test('no path traversal out of the web directory', async () => {
    for (const target of [
      '/assets/../../../../etc/passwd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/../../../../etc/passwd',
      '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..\\..\\..\\..\\etc\\passwd',
    ]) {
      const conn = await new RawConnection(server.agentPort).open();
      await conn.write(rawRequest('GET', target, { port: server.agentPort }));
      let res;
      try {
        res = await conn.next();
      } catch {
        // chunked or closed: read raw
        res = { status: 0, body: await conn.closed() };
      }
      conn.destroy();
      assert.ok(!res.body.includes('root:'), `${target} leaked /etc/passwd`);
    }
    await assertAlive(server);
  });
});

describe('connections', () => {
  test('keep-alive: several requests on one connection', async () => {
    const conn = await new RawConnection(server.agentPort).open();
    const port = server.agentPort;
    for (let i = 0; i < 3; i += 1) {
      await conn.write(rawRequest('GET', '/healthz', { port, headers: { 'X-Request-Id': `ka-${i}` } }));
      const res = await conn.next();
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-request-id'], `ka-${i}`);
      assert.notEqual((res.headers.connection ?? '').toLowerCase(), 'close');
    }
    // Pipelined: three requests in one write, three answers in order.
    await conn.write(
      rawRequest('GET', '/healthz', { port, headers: { 'X-Request-Id': 'p-1' } }) +
        rawRequest('GET', '/api/v1/me', { port, headers: { 'X-Request-Id': 'p-2' } }) +
        rawRequest('POST', '/api/v1/auth/login', {
          port,
          headers: { 'X-Request-Id': 'p-3', 'Content-Type': 'application/json' },
          body: '{"email":',
        }),
    );
    const answers = [await conn.next(), await conn.next(), await conn.next()];
    assert.deepEqual(answers.map((a) => [a.status, a.headers['x-request-id']]), [
      [200, 'p-1'],
      [401, 'p-2'],
      [400, 'p-3'],
    ]);
    // An error answer does not close the connection either.
    await conn.write(rawRequest('GET', '/readyz', { port }));
    assert.equal((await conn.next()).status, 200);
    // Connection: close is honoured.
    await conn.write(rawRequest('GET', '/healthz', { port, headers: { Connection: 'close' } }));
    const last = await conn.next();
    assert.equal(last.status, 200);
    assert.equal((last.headers.connection ?? '').toLowerCase(), 'close');
    await conn.closed(5000);
  });

  test('a 204 answer carries no body and the connection goes on', async () => {
    const c = new Client(server.agentUrl);
    await c.login(kDemo.reviewer, kDemoPassword);
    const port = server.agentPort;
    const conn = await new RawConnection(port).open();
    await conn.write(
      rawRequest('POST', '/api/v1/auth/logout', { port, headers: { Cookie: c.cookieHeader(), 'X-CSRF-Token': c.csrf } }) +
        rawRequest('GET', '/healthz', { port, headers: { 'X-Request-Id': 'after-204' } }),
    );
    const out = await conn.next();
    assert.equal(out.status, 204);
    assert.ok(['0', undefined].includes(out.headers['content-length']), `Content-Length ${out.headers['content-length']}`);
    assert.equal(out.headers['transfer-encoding'], undefined);
    const next = await conn.next();
    assert.equal(next.status, 200);
    assert.equal(next.headers['x-request-id'], 'after-204');
    assert.equal(next.body, '{"status":"ok"}');
    conn.destroy();
  });

  test('HTTP/1.0 with Connection: keep-alive keeps the connection', async () => {
    const conn = await new RawConnection(server.agentPort).open();
    for (let i = 0; i < 2; i += 1) {
      await conn.write(`GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\nX-Request-Id: h10-${i}\r\n\r\n`);
      const res = await conn.next();
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-request-id'], `h10-${i}`);
      assert.match(res.headers.connection ?? '', /keep-alive/i);
      assert.ok(res.headers['content-length'], 'a length, since HTTP/1.0 has no chunking');
    }
    conn.destroy();
  });

  test('HTTP/1.0 without keep-alive is answered and closed', async () => {
    const conn = await new RawConnection(server.agentPort).open();
    await conn.write('GET /healthz HTTP/1.0\r\n\r\n');
    const res = await conn.next();
    assert.equal(res.status, 200);
    await conn.closed(5000);
  });

  test('a second server on the same ports refuses to start; the first keeps every connection', async () => {
    const other = makeDatabases();
    try {
      const r = await runBeian(
        ['serve', ...other.args, '--migrate', '--no-demo', '--agent-listen', `127.0.0.1:${server.agentPort}`,
          '--authority-listen', `127.0.0.1:${server.authorityPort}`],
        { timeoutMs: 20_000 },
      );
      assert.equal(r.signal, null, `the second server kept running:\n${r.stdout}\n${r.stderr}`);
      assert.notEqual(r.code, 0);
      assert.match(`${r.stdout}${r.stderr}`, /listen|in use/i);
    } finally {
      other.drop();
    }
    // New connections are still served.
    for (let i = 0; i < 8; i += 1) {
      const r = await fetch(`${server.agentUrl}/healthz`, { headers: { Connection: 'close' } });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
    await assertAlive(server);
  });

  test('many concurrent connections are all served', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const res = await fetch(`${server.agentUrl}/healthz`, { headers: { 'X-Request-Id': `conc-${i}` } });
        await res.arrayBuffer();
        return [res.status, res.headers.get('x-request-id')];
      }),
    );
    results.forEach(([status, id], i) => {
      assert.equal(status, 200);
      assert.equal(id, `conc-${i}`);
    });
    await assertAlive(server);
  });
});

// /metrics was open on the public port. Clients here are all on loopback, so a server behind a
// "proxy" (--trust-proxy) lets X-Forwarded-For stand for a remote client.
describe('/metrics: loopback or the bearer token', () => {
  const kToken = 'it-metrics-token-0123456789';
  let proxied;

  before(async () => {
    proxied = await startServer({ demo: false, extraArgs: ['--trust-proxy', '--metrics-token', kToken] });
  });

  after(async () => {
    await proxied?.stop();
  });

  const scrape = (url, headers = {}) => fetch(`${url}/metrics`, { headers });

  test('a loopback client reads it without a token', async () => {
    for (const url of [proxied.agentUrl, proxied.authorityUrl]) {
      const res = await scrape(url);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^# TYPE beian_http_requests_total counter$/m);
    }
  });

  test('a remote client gets 404 unless it sends the token', async () => {
    for (const url of [proxied.agentUrl, proxied.authorityUrl]) {
      const remote = { 'X-Forwarded-For': '203.0.113.9' };
      for (const extra of [{}, { Authorization: 'Bearer wrong-token' }, { Authorization: kToken }]) {
        const res = await scrape(url, { ...remote, ...extra });
        const text = await res.text();
        assertError({ status: res.status, headers: res.headers, text, data: JSON.parse(text) }, 404,
          'not_found', JSON.stringify(extra));
        assert.doesNotMatch(text, /beian_http/);
      }
      const ok = await scrape(url, { ...remote, Authorization: `Bearer ${kToken}` });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /beian_http_in_flight_requests/);
    }
  });
});
