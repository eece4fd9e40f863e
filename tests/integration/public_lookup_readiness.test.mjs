// The public look-up's readiness and resilience (issue 11 items 2 and 4), against the real
// binary: `beian serve --service agent` following a fake authority (a node HTTP server that
// plays the signed change feed GET /authority/v1/registry/changes and can be stopped and
// started again on its port).
//  - caught up: /readyz 200 stating {as_of_seq, as_of, caught_up: true, behind: 0, authority
//    reachable}; beian_public_lookup_as_of_seconds small;
//  - a filing approved, then cancelled, at the authority shows in the answer within 5 s (also
//    the cancellation of a filing held in the snapshot file, not the overlay);
//  - the authority stops: still ready, caught_up false, authority "unreachable since …";
//  - the agent restarted while the authority is down: ready within 2 s of the spawn, the body
//    says it is not caught up and as of when, and the look-ups answer from the snapshot (no
//    rebuild); with --public-max-staleness 1 it is 503 public_lookup_stale instead; the
//    authority back → caught up, ready again;
//  - the snapshot file truncated under the live mapping: every answer right (from the copy while
//    the snapshot is dropped), the server alive, the file rebuilt and served again. The cut is
//    at a page boundary: a cut inside a page leaves that page's slots reading as empty for up to
//    one check interval (public_snapshot.h), which the unit tests cover.
// Runs on SQLite and on PostgreSQL (BEIAN_IT_BACKEND).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, makeDatabases, runBeian, serveService, sleep } from './lib/server.mjs';

const tag = crypto.randomBytes(3).toString('hex');
const kKey = crypto.randomBytes(32).toString('hex');
const kSites = 40;
let db;
let agent;
let authorityPort;

// The fake authority's feed: every change, in order (seq = index + 1).
const changes = [];
function sn(i) {
  return `京ICP备${2026500000 + i}号-1`;
}
function domainOf(i) {
  return `ready-${tag}-${i}.cn`;
}
function addChange(i, status = 'active', domains = [domainOf(i)]) {
  changes.push({
    seq: changes.length + 1,
    website_sn: sn(i),
    record: {
      website_sn: sn(i), subject_sn: sn(i).replace(/-1$/, ''), organizer_name: '张*',
      organizer_type: 'individual', website_name: `博客 ${i}`, domains, status,
      approved_at: '2026-12-06T10:00:00Z',
    },
    changed_at: new Date().toISOString(),
  });
}

let feedServer = null;
async function startAuthority() {
  feedServer = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/authority/v1/registry/changes'
      && req.headers['x-beian-provider'] === 'p1' && req.headers['x-beian-signature']) {
      const since = Number(url.searchParams.get('since'));
      const limit = Number(url.searchParams.get('limit'));
      const page = changes.slice(since, since + limit);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        changes: page, next_since: page.length ? page.at(-1).seq : since, last_seq: changes.length,
      }));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'no route', details: [] } }));
  });
  await new Promise((resolve) => feedServer.listen(authorityPort, '127.0.0.1', resolve));
}
async function stopAuthority() {
  const s = feedServer;
  feedServer = null;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
}

// `beian serve --service agent` on the test's agent database and data dir.
async function startAgent(extra = []) {
  const s = await serveService('agent', db, ['--log-level', 'warn',
    '--authority-url', `http://127.0.0.1:${authorityPort}`, '--provider-id', 'p1',
    '--provider-key', kKey, '--registry-sync-interval', '0.2', ...extra], { keep: 200_000 });
  const { child } = s;
  return {
    url: s.url, spawned: s.spawned, listening: s.listening, output: s.output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const status = await s.exited;
      assert.deepEqual(status, { code: 0, signal: null }, s.output().slice(-4000));
    },
  };
}

async function readyz() {
  const r = await fetch(`${agent.url}/readyz`);
  return { status: r.status, body: await r.json() };
}

// Polls /readyz until `want(answer)`; returns the answer and when it came.
async function readyzUntil(what, want, limitMs = 15_000) {
  const start = Date.now();
  for (;;) {
    const a = await readyz();
    if (want(a)) return { ...a, at: Date.now() };
    if (Date.now() - start > limitMs) {
      assert.fail(`${what}: ${JSON.stringify(a)}\n${agent.output().slice(-3000)}`);
    }
    await sleep(20);
  }
}

async function metric(name) {
  const text = await (await fetch(`${agent.url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function lookup(domain) {
  const res = await fetch(`${agent.url}/api/v1/public/filings?domain=${encodeURIComponent(domain)}`);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

async function until(what, fn, limitMs) {
  const start = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - start;
    if (Date.now() - start > limitMs) assert.fail(`${what}: not within ${limitMs} ms`);
    await sleep(25);
  }
}

// What the feed says of site i now: its website SN while filed, else null.
function expected(i) {
  let state = null;
  for (const c of changes) {
    if (c.website_sn !== sn(i)) continue;
    state = c.record.status === 'active' && c.record.domains.includes(domainOf(i)) ? sn(i) : null;
  }
  return state;
}

async function assertAnswers(sites) {
  for (const i of sites) {
    const a = await lookup(domainOf(i));
    assert.equal(a.filed ? a.website_sn : null, expected(i), `${domainOf(i)}: ${JSON.stringify(a)}`);
  }
}

before(async () => {
  db = makeDatabases();
  const migrated = await runBeian(['migrate', ...db.args]);
  assert.equal(migrated.code, 0, migrated.stderr);
  for (let i = 1; i <= kSites; ++i) addChange(i);
  authorityPort = await freePort();
  await startAuthority();
});

after(async () => {
  if (agent?.alive()) await agent.stop();
  if (feedServer) await stopAuthority();
  db?.drop();
});

describe('public look-up readiness', () => {
  let lastCurrent;

  test('caught up: ready, and the body says what is served', async () => {
    agent = await startAgent();
    const a = await readyzUntil('ready', (x) => x.status === 200);
    const p = a.body.public_lookup;
    assert.equal(a.body.status, 'ready');
    assert.equal(p.caught_up, true, JSON.stringify(a.body));
    assert.equal(p.as_of_seq, changes.length);
    assert.equal(p.behind, 0);
    assert.equal(p.authority, 'reachable');
    assert.ok(Math.abs(Date.parse(p.as_of) - Date.now()) < 5000, p.as_of);
    const age = await metric('beian_public_lookup_as_of_seconds');
    assert.ok(age >= 0 && age < 5, String(age));
    await until('serving from the snapshot', async () => (await metric('beian_public_snapshot_serving')) === 1, 10_000);
    await assertAnswers([1, 2, kSites]);
  });

  test('approved, then cancelled, at the authority: in the answer within 5 s', async () => {
    const fresh = kSites + 1;
    addChange(fresh);
    const approved = await until('approved', async () => (await lookup(domainOf(fresh))).filed, 5000);
    addChange(fresh, 'cancelled', []);
    const cancelled = await until('cancelled', async () => !(await lookup(domainOf(fresh))).filed, 5000);
    // A filing the snapshot file itself holds (written before the start), cancelled.
    addChange(3, 'cancelled', []);
    await until('cancelled (in the file)', async () => !(await lookup(domainOf(3))).filed, 5000);
    // A website that drops one domain and keeps none of the old ones: the old one is not filed.
    addChange(4, 'active', [`other-${tag}-4.cn`]);
    await until('moved', async () => (await lookup(`other-${tag}-4.cn`)).filed, 5000);
    assert.equal((await lookup(domainOf(4))).filed, false);
    assert.ok(approved < 5000 && cancelled < 5000, `${approved} ms, ${cancelled} ms`);
    await assertAnswers([1, 2, 3, 4, fresh]);
  });

  test('the authority stops: still ready, not caught up, unreachable since …', async () => {
    const before = await readyz();
    lastCurrent = Date.parse(before.body.public_lookup.as_of);
    await stopAuthority();
    const stopped = Date.now();
    const a = await readyzUntil('not caught up', (x) => x.status === 200
      && x.body.public_lookup.caught_up === false);
    const p = a.body.public_lookup;
    assert.match(p.authority, /^unreachable since \d{4}-\d\d-\d\dT/);
    assert.ok(Date.parse(p.authority.slice('unreachable since '.length)) >= stopped - 1000);
    assert.equal(p.behind, null);
    assert.equal(p.as_of_seq, changes.length);
    lastCurrent = Date.parse(p.as_of);
    assert.ok(lastCurrent <= stopped + 50, `${p.as_of} after the stop`);
    await assertAnswers([1, 2, 3, 4, kSites + 1]);
  });

  test('restarted while the authority is down: ready within 2 s, from the snapshot, as of then', async () => {
    await agent.stop();
    agent = await startAgent();
    const a = await readyzUntil('ready after the restart', (x) => x.status === 200, 10_000);
    const fromListening = a.at - agent.listening;
    const fromSpawn = a.at - agent.spawned;
    assert.ok(fromSpawn < 2000, `ready ${fromSpawn} ms after the spawn (${fromListening} ms after listening)`);
    const p = a.body.public_lookup;
    assert.equal(p.caught_up, false);
    assert.equal(p.as_of_seq, changes.length);
    assert.equal(Date.parse(p.as_of), lastCurrent, 'as of the last time the copy was current');
    assert.equal(p.behind, null);
    assert.match(p.authority, /^unreachable since /);
    assert.equal(await metric('beian_public_snapshot_serving'), 1);
    assert.equal(await metric('beian_public_snapshot_rebuilds'), 0, 'no rebuild: the file as it was');
    const age = await metric('beian_public_lookup_as_of_seconds');
    assert.ok(age >= (Date.now() - lastCurrent) / 1000 - 1, String(age));
    await assertAnswers([1, 2, 3, 4, kSites, kSites + 1]);
    console.log(`# restart to ready: ${fromSpawn} ms from the spawn, ${fromListening} ms from listening`);
  });

  test('past --public-max-staleness: 503 public_lookup_stale; the authority back: ready again', async () => {
    await agent.stop();
    agent = await startAgent(['--public-max-staleness', '1']);
    const a = await readyzUntil('stale', (x) => x.status === 503
      && x.body.error?.code === 'public_lookup_stale');
    assert.match(a.body.error.message, /old .*over the limit of 1 s; the authority is unreachable since/);
    // The look-ups still answer (the limit is the probe's, for a load balancer).
    await assertAnswers([1, 2]);
    addChange(5, 'cancelled', []);
    await startAuthority();
    const b = await readyzUntil('caught up again', (x) => x.status === 200
      && x.body.public_lookup.caught_up === true);
    assert.equal(b.body.public_lookup.authority, 'reachable');
    assert.equal(b.body.public_lookup.as_of_seq, changes.length);
    await until('the change made while it was away', async () => !(await lookup(domainOf(5))).filed, 5000);
    await assertAnswers([1, 2, 3, 4, 5, 6]);
  });

  test('the snapshot truncated under the live mapping: answers right meanwhile, rebuilt, never a crash', async () => {
    await until('serving', async () => (await metric('beian_public_snapshot_serving')) === 1, 10_000);
    const file = path.join(db.dataDir, 'public-snapshot', 'snapshot.bin');
    const damagedBefore = await metric('beian_public_snapshot_damaged');
    const rebuildsBefore = await metric('beian_public_snapshot_rebuilds');
    // Keep the header and the first page of the body; every later page is gone.
    fs.truncateSync(file, 8192);
    const sites = Array.from({ length: kSites }, (_, k) => k + 1);
    // At once, many in parallel: some probe a lost page before the periodic check sees the size.
    for (let round = 0; round < 5; ++round) {
      const answers = await Promise.all(sites.map((i) => lookup(domainOf(i))));
      answers.forEach((a, k) => assert.equal(a.filed ? a.website_sn : null, expected(sites[k]),
        `${domainOf(sites[k])}: ${JSON.stringify(a)}`));
    }
    assert.ok(agent.alive(), agent.output().slice(-3000));
    await until('detected and rebuilt', async () => (await metric('beian_public_snapshot_damaged')) > damagedBefore
      && (await metric('beian_public_snapshot_rebuilds')) > rebuildsBefore
      && (await metric('beian_public_snapshot_serving')) === 1, 10_000);
    assert.ok(fs.statSync(file).size > 8192);
    const how = /the file shrank under the mapping \(bus error\)/.test(agent.output())
      ? 'a look-up faulted on a lost page (bus error guard)' : 'the periodic size check';
    console.log(`# truncation found by ${how}`);
    await assertAnswers(sites);
    const a = await readyz();
    assert.equal(a.status, 200, JSON.stringify(a.body));
    await agent.stop();
  });
});
