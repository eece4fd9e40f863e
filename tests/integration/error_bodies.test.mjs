// Error answers stay small whatever the request (issue 6, item 2): an 8 MB body of distinct
// unknown keys once drew a 73 MB answer listing every key twice; now `details` holds the first
// 20 and `details_total` the count.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAlive, assertError, startServer } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer({ demo: false });
});

after(async () => {
  await server?.stop();
});

// A JSON object of about `bytes` bytes: the login fields, then distinct unknown keys.
function manyUnknownKeys(bytes) {
  const parts = ['"email":"nobody@example.com"', '"password":"not-the-password"'];
  let size = 64;
  for (let i = 0; size < bytes - 32; ++i) {
    const p = `"unknown_key_${i}":0`;
    parts.push(p);
    size += p.length + 1;
  }
  return { body: `{${parts.join(',')}}`, keys: parts.length - 2 };
}

describe('error bodies', () => {
  test('8 MB of distinct unknown keys: a small 400 with the first 20 details and the total', async () => {
    const { body, keys } = manyUnknownKeys(8_000_000);
    assert.ok(body.length <= 8_000_000 && body.length > 7_900_000, `${body.length}`);
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/register']) {
      const res = await fetch(`${server.agentUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      const text = await res.text();
      assert.ok(text.length < 8192, `${path}: the answer is ${text.length} bytes`);
      const r = { status: res.status, headers: res.headers, text, data: JSON.parse(text) };
      const e = assertError(r, 400, 'unknown_field', path);
      assert.equal(e.details.length, 20, path);
      assert.equal(e.details_total, keys, path);
      assert.equal(e.details[0].field, 'unknown_key_0');
    }
  });

  test('a few problems are listed whole, without a total', async () => {
    const res = await fetch(`${server.agentUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com', password: 'x', extra_a: 1, extra_b: 2 }),
    });
    const text = await res.text();
    const e = assertError({ status: res.status, headers: res.headers, text, data: JSON.parse(text) },
      400, 'unknown_field');
    assert.equal(e.details.length, 2);
    assert.equal(e.details_total, undefined);
  });

  test('the server lives on', async () => {
    await assertAlive(server);
  });
});
