// Process lifecycle of the real binary: refusal to serve a stale schema (a database that is not
// empty), the schema created on brand-new empty databases, `beian migrate`, a clean exit when a
// port is taken, graceful shutdown on SIGTERM with a request in flight, SIGINT, and data and
// sessions surviving a restart. The tests share one pair of databases and run in order.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  RawConnection,
  account,
  freePort,
  kBackend,
  kDemo,
  kDemoPassword,
  makeDatabases,
  rawRequest,
  runBeian,
  sleep,
  startServer,
} from './lib/server.mjs';

let db;
const journey = { acct: account('lifecycle'), cookie: null };

before(() => {
  db = makeDatabases();
});

after(() => {
  db?.drop();
});

// Runs one SQL statement in the agent's or the authority's database, outside the program;
// returns its rows as text ("a|b" lines).
function sqlIn(databases, service, statement) {
  if (kBackend === 'postgres') {
    const i = databases.args.indexOf(service === 'agent' ? '--database' : '--authority-database');
    return execFileSync('psql', [databases.args[i + 1], '-v', 'ON_ERROR_STOP=1', '-Atqc', statement], { encoding: 'utf8' }).trim();
  }
  const file = path.join(databases.dataDir, `${service}.db`);
  const py = 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],timeout=10)\nrows=c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint("\\n".join("|".join(str(v) for v in r) for r in rows))';
  return execFileSync('python3', ['-c', py, file, statement], { encoding: 'utf8' }).trim();
}

function refusesConnection(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

// The agent's in-flight request gauge, read from /metrics over fresh connections (the first
// to answer wins).
async function inFlight(port) {
  const conns = await Promise.all(Array.from({ length: 4 }, () => new RawConnection(port).open()));
  try {
    const res = await Promise.any(
      conns.map(async (c) => {
        await c.write(rawRequest('GET', '/metrics', { port, headers: { Connection: 'close' } }));
        return c.next(15_000);
      }),
    );
    return Number(/^beian_http_in_flight_requests\{service="agent"\} (\d+)$/m.exec(res.body)?.[1]);
  } finally {
    for (const c of conns) c.destroy();
  }
}

describe('lifecycle', () => {
  test('serve without --migrate on a database that is not empty but has no current schema refuses and names `beian migrate`', async () => {
    // A table left by an older schema (or anything else): the database is not brand-new, so
    // upgrading it is the operator's decision.
    sqlIn(db, 'agent', 'CREATE TABLE left_over (id INTEGER)');
    const [p1, p2] = [await freePort(), await freePort()];
    const r = await runBeian(
      ['serve', ...db.args, '--agent-listen', `127.0.0.1:${p1}`, '--authority-listen', `127.0.0.1:${p2}`, '--no-demo'],
      { timeoutMs: 20_000 },
    );
    assert.equal(r.signal, null, `killed after a timeout: it served a stale schema\n${r.stdout}\n${r.stderr}`);
    assert.notEqual(r.code, 0);
    assert.match(`${r.stdout}\n${r.stderr}`, /agent database schema is not current.*beian migrate/);
    assert.ok(await refusesConnection(p1));
  });

  test('serve on brand-new empty databases creates the schema without --migrate', async () => {
    const fresh = makeDatabases();
    try {
      const server = await startServer({ db: fresh, migrate: false, demo: true });
      const c = new Client(server.agentUrl);
      await c.login(kDemo.applicant, kDemoPassword);
      await server.stop();
      const r = await runBeian(['migrate', ...fresh.args]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /agent: schema version (\d+) -> \1/);
      assert.match(r.stdout, /authority: schema version (\d+) -> \1/);
    } finally {
      fresh.drop();
    }
  });

  test('beian migrate brings both databases up to date (and is idempotent)', async () => {
    const r1 = await runBeian(['migrate', ...db.args]);
    assert.equal(r1.code, 0, `${r1.stdout}\n${r1.stderr}`);
    const r2 = await runBeian(['migrate', ...db.args]);
    assert.equal(r2.code, 0, `${r2.stdout}\n${r2.stderr}`);
  });

  test('an applied step that differs from the program\'s: serve refuses to start, naming the step', async () => {
    const recorded = sqlIn(db, 'authority', 'SELECT checksum FROM schema_migrations WHERE version = 1');
    assert.match(recorded, /^sha256:[0-9a-f]{64}$/);
    const other = `sha256:${'0'.repeat(64)}`;
    sqlIn(db, 'authority', `UPDATE schema_migrations SET checksum = '${other}' WHERE version = 1`);
    try {
      const [p1, p2] = [await freePort(), await freePort()];
      const r = await runBeian(
        ['serve', ...db.args, '--agent-listen', `127.0.0.1:${p1}`, '--authority-listen', `127.0.0.1:${p2}`, '--no-demo'],
        { timeoutMs: 20_000 },
      );
      assert.equal(r.signal, null, `it served a schema whose step changed\n${r.stdout}\n${r.stderr}`);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /authority.*migration 1_accounts was changed after it was applied/);
      const m = await runBeian(['migrate', ...db.args]);
      assert.equal(m.code, 1);
      assert.match(m.stderr, /migration 1_accounts was changed/);
    } finally {
      sqlIn(db, 'authority', `UPDATE schema_migrations SET checksum = '${recorded}' WHERE version = 1`);
    }
  });

  test('authority port already taken: exits 1 naming the address, no crash while the agent was answering', async () => {
    // Regression: the modules were destroyed before the servers, so when the authority could not
    // listen the agent's threads kept running handlers on a destroyed AccountsService.
    const agentPort = await freePort();
    const holder = net.createServer((c) => c.destroy());
    await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const takenPort = holder.address().port;
    let running = true;
    // Logins (each an Argon2id hash on the agent's threads) aimed at the agent from the moment
    // it can listen until the process has exited.
    const hammer = async () => {
      while (running) {
        try {
          const r = await fetch(`http://127.0.0.1:${agentPort}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${agentPort}`, Connection: 'close' },
            body: JSON.stringify({ email: 'nobody@example.cn', password: 'not-the-password-1' }),
            signal: AbortSignal.timeout(5_000),
          });
          await r.arrayBuffer();
        } catch {
          await sleep(1);
        }
      }
    };
    try {
      const hammers = Array.from({ length: 4 }, hammer);
      const r = await runBeian(
        ['serve', ...db.args, '--no-demo', '--agent-listen', `127.0.0.1:${agentPort}`,
          '--authority-listen', `127.0.0.1:${takenPort}`],
        { timeoutMs: 20_000 },
      );
      running = false;
      await Promise.all(hammers);
      const out = `${r.stdout}\n${r.stderr}`;
      assert.equal(r.signal, null, `ended by a signal (crash or timeout):\n${out}`);
      assert.equal(r.code, 1, out);
      assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${takenPort}`));
      assert.doesNotMatch(out, /Sanitizer|runtime error|terminate called/);
      assert.ok(await refusesConnection(agentPort), 'the agent still listens after the exit');
    } finally {
      running = false;
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  test('SIGTERM while a request is in flight: the request is answered, exit code 0', async () => {
    const server = await startServer({ db, migrate: false, demo: false, extraArgs: ['--threads', '4'] });
    try {
      const c = new Client(server.agentUrl);
      await c.register(journey.acct, { confirm: false });
      journey.cookie = c.cookieHeader();
      // An idle keep-alive connection must not hold up the shutdown.
      const idle = await new RawConnection(server.agentPort).open();
      await idle.write(rawRequest('GET', '/healthz', { port: server.agentPort }));
      assert.equal((await idle.next()).status, 200);

      // A login spends a few hundred milliseconds hashing: signal in the middle of it, once
      // /metrics shows it in flight. Connections are spread over the worker threads by the
      // kernel, so a probe can land on the busy thread and wait: probe on several connections
      // and take the first answer; if the login finished before it was seen, try again.
      let conn;
      let answer;
      let answeredAt = 0;
      for (let attempt = 1; ; attempt += 1) {
        conn = await new RawConnection(server.agentPort).open();
        const body = JSON.stringify({ email: journey.acct.email, password: journey.acct.password });
        await conn.write(
          rawRequest('POST', '/api/v1/auth/login', {
            port: server.agentPort,
            headers: { 'Content-Type': 'application/json' },
            body,
          }),
        );
        answeredAt = 0;
        answer = conn.next(15_000).then((r) => {
          answeredAt = performance.now();
          return r;
        });
        let seen = false;
        while (!seen && answeredAt === 0) {
          seen = (await inFlight(server.agentPort)) >= 2; // the probe itself and the login
        }
        if (seen && answeredAt === 0) break;
        await answer;
        conn.destroy();
        assert.ok(attempt < 8, 'the login was never seen in flight');
      }
      const signalledAt = performance.now();
      server.child.kill('SIGTERM');
      const res = await answer;
      assert.ok(answeredAt > signalledAt, 'the request was still in flight at SIGTERM');
      assert.equal(res.status, 200, res.body);
      assert.equal(JSON.parse(res.body).user.email, journey.acct.email);
      // Once stopping, the answer closes the connection.
      assert.equal((res.headers.connection ?? '').toLowerCase(), 'close');
      const t0 = performance.now();
      const status = await server.stop();
      assert.deepEqual(status, { code: 0, signal: null });
      assert.ok(performance.now() - t0 < 8000, 'exit took too long');
      await idle.closed(5000);
      conn.destroy();
      assert.ok(await refusesConnection(server.agentPort), 'still listening after exit');
      assert.ok(await refusesConnection(server.authorityPort), 'authority still listening after exit');
    } finally {
      if (!server.stopped) await server.stop({ expectCode: null });
    }
  });

  test('after a restart (no --migrate needed) accounts and sessions are still there; SIGINT exits 0', async () => {
    assert.ok(journey.cookie, 'depends on the previous test');
    const server = await startServer({ db, migrate: false, demo: false, extraArgs: ['--cookie-secure'] });
    try {
      const c = new Client(server.agentUrl);
      // --cookie-secure names the cookie __Host-beian_session (the session itself is unchanged).
      const me = await c.get('/me', { headers: { Cookie: `__Host-${journey.cookie}` } });
      assert.equal(me.status, 200, `session lost across the restart: ${me.text}`);
      assert.equal(me.data.user.email, journey.acct.email);
      const login = await c.login(journey.acct.email, journey.acct.password);
      // --cookie-secure: a __Host- cookie (Secure, Path=/, no Domain) and HSTS.
      assert.match(login.setCookies[0], /^__Host-beian_session=[^;]+;/);
      assert.match(login.setCookies[0], /;\s*Secure(;|$)/i, login.setCookies[0]);
      assert.match(login.setCookies[0], /;\s*Path=\/(;|$)/, login.setCookies[0]);
      assert.doesNotMatch(login.setCookies[0], /Domain/i, login.setCookies[0]);
      assert.equal(login.headers.get('strict-transport-security'), 'max-age=31536000');
      const authority = await new Client(server.authorityUrl, '/authority/v1').post('/auth/login', {
        email: 'nobody@example.com',
        password: 'not-the-password',
      });
      assert.equal(authority.headers.get('strict-transport-security'), 'max-age=31536000');
      // --no-demo: no demo accounts were created.
      const demo = await new Client(server.agentUrl).post('/auth/login', {
        email: 'applicant@demo.beian.test',
        password: 'demo-password-1',
      });
      assert.equal(demo.status, 401);
    } finally {
      const status = await server.stop({ signal: 'SIGINT' });
      assert.deepEqual(status, { code: 0, signal: null });
    }
  });

  test('beian --help and serve --help list the flags', async () => {
    const r = await runBeian(['serve', '--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--data-dir', '--agent-listen', '--authority-listen', '--database', '--threads', '--no-demo', '--migrate', '--body-limit']) {
      assert.ok(r.stdout.includes(flag), `serve --help lacks ${flag}`);
    }
    const top = await runBeian(['--help']);
    assert.equal(top.code, 0);
    for (const cmd of ['serve', 'migrate', 'admin']) assert.ok(top.stdout.includes(cmd), `--help lacks ${cmd}`);
  });
});
