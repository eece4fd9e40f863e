// Readiness follows the database: when the schema record falls behind the binary, /readyz
// answers 503 (liveness stays 200, the other service is unaffected) and recovers when the schema
// is current again; on PostgreSQL, a database that goes away makes /readyz 503 and requests fail
// cleanly, without bringing the process down.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, assertAlive, assertError, kBackend, kDemo, kDemoPassword, startServer } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

// Runs one SQL statement against the agent or authority database; returns its output.
function sql(service, statement) {
  const i = server.args.indexOf(service === 'agent' ? '--database' : '--authority-database');
  if (kBackend === 'postgres') {
    return execFileSync('psql', [server.args[i + 1], '-v', 'ON_ERROR_STOP=1', '-Atqc', statement], { encoding: 'utf8' }).trim();
  }
  const file = path.join(server.db.dataDir, `${service}.db`);
  const py = 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],timeout=10)\nrows=c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint("\\n".join("|".join(str(v) for v in r) for r in rows))';
  return execFileSync('python3', ['-c', py, file, statement], { encoding: 'utf8' }).trim();
}

async function readyz(url) {
  const res = await fetch(`${url}/readyz`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: JSON.parse(text) };
}

describe('readiness', () => {
  test('a schema behind the binary makes /readyz 503 until it is current again', async () => {
    const latest = sql('agent', 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version DESC LIMIT 1');
    const [version, name, appliedAt] = latest.split('|');
    assert.match(version, /^\d+$/, latest);
    sql('agent', `DELETE FROM schema_migrations WHERE version = ${version}`);
    try {
      const r = await readyz(server.agentUrl);
      assertError(r, 503, 'schema_outdated');
      assert.match(r.data.error.message, /beian migrate/);
      // Liveness is not readiness; the authority has its own database.
      await assertAlive(server);
      assert.equal((await readyz(server.authorityUrl)).status, 200);
    } finally {
      sql('agent', `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${version}, '${name}', ${appliedAt})`);
    }
    assert.equal((await readyz(server.agentUrl)).status, 200);
    const c = new Client(server.agentUrl);
    await c.login(kDemo.applicant, kDemoPassword);
  });

  test('PostgreSQL: a vanished authority database → /readyz 503, requests fail cleanly, the process lives', {
    skip: kBackend === 'postgres' ? false : 'PostgreSQL only',
  }, async () => {
    const i = server.args.indexOf('--authority-database');
    const dbName = new URL(server.args[i + 1]).pathname.slice(1);
    const admin = new URL(server.args[i + 1]);
    admin.pathname = '/postgres';
    execFileSync('psql', [admin.toString(), '-v', 'ON_ERROR_STOP=1', '-qc', `DROP DATABASE ${dbName} WITH (FORCE)`]);
    const r = await readyz(server.authorityUrl);
    assert.equal(r.status, 503, r.text);
    assert.ok(r.data.error, r.text);
    const a = new Client(server.authorityUrl, '/authority/v1');
    const login = await a.post('/auth/login', { email: kDemo.authority, password: kDemoPassword });
    assert.ok(login.status >= 500 && login.status < 600, `${login.status} ${login.text}`);
    assert.ok(login.data?.error, login.text);
    // The database's own words (host, port, database name) stay in the server log.
    assert.ok(!/FATAL|ERROR:|127\.0\.0\.1|port \d+|beian_it_/.test(login.text), `internal detail leaked: ${login.text}`);
    // The agent is unaffected and both processes' liveness holds.
    assert.equal((await readyz(server.agentUrl)).status, 200);
    await assertAlive(server);
    await new Client(server.agentUrl).login(kDemo.applicant, kDemoPassword);
  });
});
