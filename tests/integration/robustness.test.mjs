// Hostile and unusual input against the real binary: whatever a client sends, the answer is a
// 4xx in the error format (never a 5xx, never a leaked database message), both backends store
// the same thing, and concurrent requests on one e-mail leave exactly one account.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  RawConnection,
  account,
  assertAlive,
  assertError,
  startServer,
} from './lib/server.mjs';

let server;

before(async () => {
  // Four workers: concurrent requests really run at once (and contend for the database).
  server = await startServer({ demo: false, extraArgs: ['--threads', '4'] });
});

after(async () => {
  await server?.stop();
});

const agent = () => new Client(server.agentUrl);

// Incompressible ASCII letters and digits (a long run of one letter would compress away).
function randomAlnum(n) {
  return crypto.randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
}

function assertNoLeak(r) {
  assert.ok(r.status < 500, `server error ${r.status}: ${r.text}`);
  // Only refusals can leak a cause; successful bodies carry random tokens that may spell anything.
  if (r.status >= 400) {
    assert.ok(!/ERROR:|SQL|sqlite|postgres|login_throttle|users\./i.test(r.text), `internal detail leaked: ${r.text}`);
  }
}

describe('robustness', () => {
  test('a very long e-mail at login → 401 invalid_credentials, not a database error', async () => {
    for (const n of [300, 3000, 9000]) {
      const email = `${randomAlnum(n)}@example.com`;
      const r = await agent().post('/auth/login', { email, password: 'whatever-password' });
      assertNoLeak(r);
      assertError(r, 401, 'invalid_credentials', `${n}-character e-mail`);
    }
    const a = new Client(server.authorityUrl, '/authority/v1');
    const r = await a.post('/auth/login', { email: `${randomAlnum(9000)}@example.com`, password: 'whatever-password' });
    assertNoLeak(r);
    assertError(r, 401, 'invalid_credentials', 'authority');
    await assertAlive(server);
  });

  test('a NUL character in the display name is refused or kept, never cut off', async () => {
    const acct = account('nul', { display_name: 'Before\u0000After' });
    const c = agent();
    const r = await c.post('/auth/register', acct);
    assertNoLeak(r);
    if (r.status === 400) {
      const e = assertError(r, 400, 'validation_failed');
      assert.ok(e.details.some((d) => d.field === 'display_name'), r.text);
      return;
    }
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.user.display_name, acct.display_name, 'answer of the registration');
    const me = await c.get('/me');
    assert.equal(me.data.user.display_name, acct.display_name, 'stored display name');
  });

  test('a NUL character in the login e-mail → 401, and it does not reach another account', async () => {
    const acct = account('nulmail');
    await agent().register(acct);
    const r = await agent().post('/auth/login', { email: `${acct.email}\u0000junk`, password: acct.password });
    assertNoLeak(r);
    assertError(r, 401, 'invalid_credentials');
  });

  test('a password with a NUL character is hashed whole', async () => {
    const acct = account('nulpw', { password: 'abcdefg\u0000hijk' });
    const reg = await agent().post('/auth/register', acct);
    assertNoLeak(reg);
    if (reg.status === 400) return; // refusing it is fine too
    assert.equal(reg.status, 202, reg.text);
    assertError(await agent().post('/auth/login', { email: acct.email, password: 'abcdefg' }), 401, 'invalid_credentials');
    assertError(await agent().post('/auth/login', { email: acct.email, password: 'abcdefg\u0000zzzz' }), 401, 'invalid_credentials');
    await agent().login(acct.email, acct.password);
  });

  test('invalid UTF-8 and deeply nested JSON → 400 invalid_json', async () => {
    const c = agent();
    const bad = Buffer.concat([
      Buffer.from('{"email":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('@example.com","password":"whatever-password"}'),
    ]);
    assertError(await c.request('POST', '/auth/login', { body: bad, headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    const deep = '['.repeat(200_000);
    assertError(await c.request('POST', '/auth/login', { body: deep, headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    const deepObj = '{"a":'.repeat(50_000);
    assertError(await c.request('POST', '/auth/register', { body: deepObj, headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    const surrogate = '{"email":"\\ud800@example.com","password":"whatever-password"}';
    const s = await c.request('POST', '/auth/login', { body: surrogate, headers: { 'Content-Type': 'application/json' } });
    assertNoLeak(s);
    assert.ok([400, 401].includes(s.status), s.text);
    await assertAlive(server);
  });

  // Registration does not tell who has an account (issue 9 item 8): every racer gets the same
  // 202, one account exists, and its owner is mailed about the others.
  test('concurrent registrations of one e-mail: the same 202 for all, exactly one account', async () => {
    const acct = account('race');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => agent().post('/auth/register', { ...acct, display_name: `racer ${i}` })),
    );
    for (const r of results) assertNoLeak(r);
    assert.deepEqual(results.map((r) => r.status), Array(8).fill(202), results.map((r) => r.text).join('\n'));
    const login = await agent().login(acct.email, acct.password);
    assert.match(login.data.user.display_name, /^racer [0-7]$/);
    const c = agent();
    await c.login(acct.email, acct.password);
    const deadline = Date.now() + 10_000;
    let exists = [];
    while (Date.now() < deadline) {
      const history = await c.get('/me/notifications?limit=100');
      exists = history.data.items.filter((m) => m.template === 'account_exists' && m.to === acct.email);
      if (exists.length === 7) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(exists.length, 7, 'the owner is told of each other attempt');
  });

  test('concurrent registrations and logins of different accounts all succeed', async () => {
    const accts = Array.from({ length: 12 }, (_, i) => account(`par${i}`));
    const results = await Promise.all(accts.map((a) => agent().post('/auth/register', a)));
    results.forEach((r, i) => assert.equal(r.status, 202, `${accts[i].email}: ${r.text}`));
    // Logins and failed logins (throttle writes) at once; few failures, since the address
    // allows 20 in all.
    const clients = accts.map(() => agent());
    const mixed = await Promise.all([
      ...accts.map((a, i) => clients[i].post('/auth/login', { email: a.email, password: a.password })),
      ...accts.slice(0, 5).map((a) => agent().post('/auth/login', { email: a.email, password: 'wrong-password-zz' })),
    ]);
    mixed.forEach((r, i) => {
      assertNoLeak(r);
      assert.equal(r.status, i < accts.length ? 200 : 401, `${i}: ${r.text}`);
    });
    const mes = await Promise.all(clients.map((c) => c.get('/me')));
    mes.forEach((r, i) => assert.equal(r.data?.user?.email, accts[i].email, r.text));
    assert.equal(new Set(mes.map((r) => r.data.user.id)).size, accts.length);
  });

  test('a chunked body and an Expect: 100-continue body over the limit → 413', async () => {
    // Default --body-limit is 8 MiB.
    const chunked = await new RawConnection(server.agentPort).open();
    await chunked.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = 'a'.repeat(1024 * 1024);
    let res = null;
    const reading = chunked.next(20_000).then((r) => (res = r));
    for (let i = 0; i < 10 && res === null; i += 1) {
      try {
        await chunked.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      } catch {
        break; // the server closed after answering
      }
    }
    await reading;
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.body).error.code, 'payload_too_large');
    chunked.destroy();

    const expect = await new RawConnection(server.agentPort).open();
    await expect.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Expect: 100-continue\r\nContent-Length: 20000000\r\n\r\n',
    );
    const e = await expect.next();
    assert.equal(e.status, 413);
    expect.destroy();
    await assertAlive(server);
  });
});
