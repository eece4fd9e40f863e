// Request framing against the real binary (issue 6, item 1): a Transfer-Encoding other than
// exactly "chunked" and a missing or repeated Host are answered 400 and the connection closes, so
// a body can never be served as a second request (RFC 9112 §6.3, §3.2).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RawConnection, assertAlive, startServer } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

// Sends `bytes` on a fresh connection and reads until the server closes it: every response that
// came back, and whatever bytes followed them.
async function exchange(bytes) {
  const conn = await new RawConnection(server.agentPort).open();
  try {
    await conn.write(bytes);
    const rest = await conn.closed();
    const statusLines = rest.match(/^HTTP\/1\.[01] \d{3}/gm) ?? [];
    return { raw: rest, statuses: statusLines.map((l) => Number(l.slice(-3))) };
  } finally {
    conn.destroy();
  }
}

describe('request framing', () => {
  test('a Transfer-Encoding other than chunked is 400 and its body is never a second request', async () => {
    const smuggled = `GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:${server.agentPort}\r\n\r\n`;
    for (const coding of ['xchunked', 'gzip', 'identity', 'chunked, identity', 'gzip, chunked', 'chunked, chunked']) {
      const r = await exchange(
        `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.agentPort}\r\n` +
          `Content-Type: application/json\r\nTransfer-Encoding: ${coding}\r\n\r\n${smuggled}`);
      assert.deepEqual(r.statuses, [400], `${coding}: exactly one answer, 400:\n${r.raw}`);
      assert.match(r.raw, /"code":"bad_request"/, coding);
      assert.match(r.raw, /Transfer-Encoding/, coding);
      assert.doesNotMatch(r.raw, /"status":"ready"/, `${coding}: the body was served`);
    }
  });

  test('chunked itself still works', async () => {
    const body = '{"email":"nobody@example.com","password":"wrong-password-1"}';
    const chunk = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const conn = await new RawConnection(server.agentPort).open();
    await conn.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.agentPort}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`);
    const res = await conn.next();
    assert.equal(res.status, 401, res.body);
    assert.equal(JSON.parse(res.body).error.code, 'invalid_credentials');
    conn.destroy();
  });

  test('no Host, two Host headers or a malformed Host is 400 and closes', async () => {
    const host = `127.0.0.1:${server.agentPort}`;
    for (const headers of ['', `Host: ${host}\r\nHost: ${host}\r\n`, `Host: ${host}\r\nHost: evil.example\r\n`,
      'Host: a b\r\n']) {
      const r = await exchange(`GET /readyz HTTP/1.1\r\n${headers}\r\nGET /readyz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      assert.deepEqual(r.statuses, [400], `${JSON.stringify(headers)}:\n${r.raw}`);
      assert.match(r.raw, /"code":"bad_request"/);
      assert.match(r.raw, /Host header/);
    }
  });

  test('the server lives on', async () => {
    await assertAlive(server);
  });
});
