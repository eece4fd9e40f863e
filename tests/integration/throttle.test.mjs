// Login throttling against the real binary (own server: the per-address counters must start
// from zero). Per (account, address) pair: 3 free failures, the 4th makes the next attempt from
// that address wait 5 s (429 too_many_requests + Retry-After) — even with the right password;
// each further failure doubles the wait. Per address: 20 free failures, then 2-second slow-downs
// that double. Nothing is ever `account_locked`: an attacker failing on purpose from one address
// does not keep the owner out from another (127.0.0.2 here: all of 127/8 is loopback). The
// growing delays themselves are covered with a clock by the accounts unit tests.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  account,
  assertError,
  sleep,
  startServer,
  uniqueEmail,
} from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer({ demo: false });
});

after(async () => {
  await server?.stop();
});

const agent = () => new Client(server.agentUrl);

// Failed logins recorded so far from this address (127.0.0.1): refused (429) attempts do not
// count.
let addressFailures = 0;

async function fail(email, expectStatus = 401) {
  const r = await agent().post('/auth/login', { email, password: 'wrong-password-x' });
  assert.equal(r.status, expectStatus, r.text);
  if (r.status === 401) addressFailures += 1;
  return r;
}

function assertSlowedDown(r, max = 5) {
  assertError(r, 429, 'too_many_requests');
  assert.equal(r.setCookies.length, 0);
  const retry = r.headers.get('retry-after');
  assert.match(retry ?? '', /^\d+$/, `Retry-After: ${retry}`);
  assert.ok(Number(retry) >= 1 && Number(retry) <= max, `Retry-After ${retry}`);
  return Number(retry);
}

// POST a JSON body from another loopback address: {status, headers (lowercase), data}.
function postFrom(localAddress, path, json) {
  const body = JSON.stringify(json);
  const url = new URL(`${server.agentUrl}/api/v1${path}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, data: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('login throttling', () => {
  test('after 3 free failures the account slows down, even for the right password', async () => {
    const acct = account('throttle');
    const other = account('bystander');
    await agent().register(acct);
    await agent().register(other);

    for (let i = 1; i <= 4; i += 1) {
      assertError(await fail(acct.email), 401, 'invalid_credentials', `failure ${i}`);
    }
    const slowed = await fail(acct.email, 429);
    assertSlowedDown(slowed);
    const right = await agent().post('/auth/login', { email: acct.email, password: acct.password });
    const retry = assertSlowedDown(right);
    // Other accounts from the same address are not affected (the address allows 20).
    await agent().login(other.email, other.password);

    // Wait it out: the right password then works and clears the account's failures.
    await sleep(retry * 1000 + 300);
    const c = agent();
    await c.login(acct.email, acct.password);
    assert.equal((await c.get('/me')).status, 200);
    for (let i = 1; i <= 3; i += 1) {
      assertError(await fail(acct.email), 401, 'invalid_credentials', `failure ${i} after success`);
    }
    await agent().login(acct.email, acct.password);
  });

  test('after a slow-down, each further failure makes the next attempt wait longer', async () => {
    const acct = account('rewait');
    await agent().register(acct);
    for (let i = 1; i <= 4; i += 1) await fail(acct.email);
    const retry = assertSlowedDown(await fail(acct.email, 429));
    await sleep(retry * 1000 + 300);
    // Failure 5: answered (401), and the very next attempt waits twice as long.
    assertError(await fail(acct.email), 401, 'invalid_credentials');
    const longer = assertSlowedDown(await fail(acct.email, 429), 10);
    assert.ok(longer > 5, `Retry-After ${longer} after the 5th failure (the 4th cost 5 s)`);
    assertSlowedDown(await agent().post('/auth/login', { email: acct.email, password: acct.password }), 10);
  });

  test('an attacker failing 50 times cannot keep the owner out (never account_locked)', async () => {
    const acct = account('owner');
    await agent().register(acct);
    let refused = 0;
    for (let i = 0; i < 50; i += 1) {
      const r = await postFrom('127.0.0.2', '/auth/login', { email: acct.email, password: `guess-${i}-x` });
      assert.ok(r.status === 401 || r.status === 429, `attempt ${i}: ${r.status} ${r.text}`);
      if (r.status === 429) {
        assert.equal(r.data.error.code, 'too_many_requests', r.text);
        refused += 1;
      } else {
        assert.equal(r.data.error.code, 'invalid_credentials', r.text);
      }
    }
    assert.ok(refused >= 40, `only ${refused} of 50 attempts were slowed down`);
    // The attacker's address is slowed down, even with the right password, and told to wait.
    const attacker = await postFrom('127.0.0.2', '/auth/login', { email: acct.email, password: acct.password });
    assert.equal(attacker.status, 429, attacker.text);
    assert.equal(attacker.data.error.code, 'too_many_requests');
    assert.match(attacker.headers['retry-after'] ?? '', /^[1-9]\d*$/);
    // The owner, from an address that has not been failing, logs in at once.
    const c = agent();
    await c.login(acct.email, acct.password);
    assert.equal((await c.get('/me')).status, 200);
  });

  test('an unknown e-mail is throttled like a known one (no account enumeration)', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 1; i <= 4; i += 1) {
      assertError(await fail(email), 401, 'invalid_credentials', `failure ${i}`);
    }
    assertSlowedDown(await fail(email, 429));
    // Case and spaces do not make a fresh account key.
    assertSlowedDown(await fail(`  ${email.toUpperCase()}`, 429));
  });

  test('after 20 failures from one address, that address slows down for every account', async () => {
    const acct = account('address');
    await agent().register(acct);
    assert.ok(addressFailures <= 20, `${addressFailures} failures already`);
    // Fresh unknown e-mails: one failure each, so only the address scope counts up.
    while (addressFailures < 21) {
      assertError(await fail(uniqueEmail('spray')), 401, 'invalid_credentials', `address failure ${addressFailures + 1}`);
    }
    const r = await agent().post('/auth/login', { email: acct.email, password: acct.password });
    assertError(r, 429, 'too_many_requests');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 2, `Retry-After ${retry} (the address slow-down is 2 s)`);
    await sleep(retry * 1000 + 300);
    await agent().login(acct.email, acct.password);
  });
});

// Issue 6 item 4: password hashing runs on its own small pool (here one thread), not on the I/O
// threads: /healthz answers at once while logins queue, and logins beyond the bounded queue are
// answered 503 busy with Retry-After instead of late.
describe('password hashing off the I/O threads', () => {
  let hashing;

  before(async () => {
    hashing = await startServer({ demo: false, extraArgs: ['--password-threads', '1'] });
  });

  after(async () => {
    await hashing?.stop();
  });

  test('a burst of logins: /healthz stays quick, the overflow gets 503 busy', async () => {
    const acct = account('burst');
    await new Client(hashing.agentUrl).register(acct);
    const login = () =>
      fetch(`${hashing.agentUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: acct.email, password: acct.password }),
      }).then(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: await r.text() }));
    const burst = Array.from({ length: 70 }, login);
    await sleep(50);
    const t0 = performance.now();
    const health = await fetch(`${hashing.agentUrl}/healthz`);
    const healthMs = performance.now() - t0;
    assert.equal(health.status, 200);
    const results = await Promise.all(burst);
    assert.ok(healthMs < 1000, `/healthz took ${healthMs.toFixed(0)} ms behind 70 logins`);
    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status === 503);
    assert.equal(ok.length + busy.length, results.length, results.map((r) => r.status).join(' '));
    assert.ok(ok.length >= 1, 'no login got through');
    assert.ok(busy.length >= 1, 'a queue of 32 behind one thread took all 70 logins');
    for (const r of busy) {
      assert.equal(JSON.parse(r.body).error.code, 'busy', r.body);
      assert.match(r.retry ?? '', /^[1-9]\d*$/);
    }
    // Once the burst is over, logins work again.
    await new Client(hashing.agentUrl).login(acct.email, acct.password);
  });
});
