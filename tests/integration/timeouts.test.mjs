// Slow and idle clients cannot hold a connection: a server started with short
// --header-timeout / --idle-timeout closes a connection whose header never completes (even when
// it trickles a byte at a time) and an idle keep-alive connection, while serving others.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RawConnection, sleep, startServer } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer({
    demo: false,
    extraArgs: ['--header-timeout', '1', '--idle-timeout', '1'],
  });
});

after(async () => {
  await server?.stop();
});

describe('timeouts', () => {
  test('a header that never completes is cut off after --header-timeout', async () => {
    const conn = await new RawConnection(server.agentPort).open();
    const start = Date.now();
    await conn.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await conn.closed(10_000);
    const took = Date.now() - start;
    assert.ok(took >= 500, `closed too early (${took} ms)`);
    assert.ok(took < 8_000, `held for ${took} ms`);
  });

  test('trickling one byte at a time does not extend the header deadline', async () => {
    const conn = await new RawConnection(server.agentPort).open();
    const start = Date.now();
    const header = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200);
    let closed = false;
    const closing = conn.closed(15_000).then(() => {
      closed = true;
    });
    for (const ch of header) {
      if (closed) break;
      await conn.write(ch).catch(() => {});
      await sleep(100);
    }
    await closing;
    const took = Date.now() - start;
    assert.ok(took < 8_000, `a trickling client held the connection for ${took} ms`);
  });

  test('an idle keep-alive connection is closed after --idle-timeout', async () => {
    const conn = await new RawConnection(server.agentPort).open();
    await conn.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const res = await conn.next();
    assert.equal(res.status, 200);
    const start = Date.now();
    await conn.closed(10_000);
    assert.ok(Date.now() - start < 8_000);
  });

  test('the server keeps serving others meanwhile', async () => {
    const stalled = await new RawConnection(server.agentPort).open();
    await stalled.write('GET /healthz HTTP/1.1\r\n');
    const res = await fetch(`${server.agentUrl}/healthz`);
    assert.equal(res.status, 200);
    await stalled.closed(10_000);
  });
});
