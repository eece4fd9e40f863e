// The registry at scale, small (issue 11 items 1–2): `beian admin generate-registry` fills the
// authority's registry; an agent process with an empty copy catches up through the signed change
// feed — /readyz 503 with a reason until it has, 200 after; killed (SIGKILL) in the middle of
// the catch-up it resumes from its cursor on restart, applying only what was left; at the end
// its answers equal the feed's final state (filed domains with their SNs, cancelled ones not
// filed). Authority and agent run as two processes, as a provider's agent would.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, makeDatabases, runBeian, serveService, sleep } from './lib/server.mjs';

const kFilings = 2000;
let db;
let key;
let domainsFile;
let authority;
let authorityUrl;

// One `beian serve --service …` process: {url, child, output(), kill(signal), exited}.
async function serve(service, extraArgs) {
  const s = await serveService(service, db, ['--log-level', 'info', ...extraArgs]);
  return {
    ...s,
    async kill(signal = 'SIGTERM') {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
      return s.exited;
    },
  };
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function sign(method, target) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomBytes(16).toString('base64url');
  const canonical = ['BEIAN-HMAC-SHA256', method, target, timestamp, nonce,
    crypto.createHash('sha256').update('').digest('hex')].join('\n');
  return {
    'X-Beian-Provider': 'p1',
    'X-Beian-Timestamp': timestamp,
    'X-Beian-Nonce': nonce,
    'X-Beian-Signature': crypto.createHmac('sha256', Buffer.from(key, 'hex')).update(canonical).digest('hex'),
  };
}

// The whole feed, through the signed API, in pages of 10,000.
async function wholeFeed() {
  const changes = [];
  let since = 0;
  for (;;) {
    const target = `/authority/v1/registry/changes?since=${since}&limit=10000`;
    const res = await fetch(`${authorityUrl}${target}`, { headers: sign('GET', target) });
    assert.equal(res.status, 200);
    const page = await res.json();
    changes.push(...page.changes);
    assert.ok(page.next_since <= page.last_seq);
    if (page.next_since === page.last_seq) return { changes, head: page.last_seq };
    since = page.next_since;
  }
}

async function lookupAll(agentUrl, domains) {
  const out = [];
  for (let i = 0; i < domains.length; i += 1000) {
    const res = await fetch(`${agentUrl}/api/v1/public/filings/batch`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ domains: domains.slice(i, i + 1000) }),
    });
    assert.equal(res.status, 200);
    out.push(...(await res.json()).results);
  }
  return out;
}

function agentArgs() {
  // Small catch-up pages, so that the catch-up takes long enough to be killed in the middle.
  return ['--authority-url', authorityUrl, '--provider-id', 'p1', '--provider-key', key,
    '--registry-sync-interval', '0.2', '--registry-sync-page', '20'];
}

before(async () => {
  db = makeDatabases();
  const migrated = await runBeian(['migrate', ...db.args]);
  assert.equal(migrated.code, 0, migrated.stderr);
  domainsFile = path.join(db.dataDir, 'domains.txt');
  const generated = await runBeian(['admin', 'generate-registry', ...db.args,
    '--filings', String(kFilings), '--seed', '5', '--domains-out', domainsFile]);
  assert.equal(generated.code, 0, generated.stderr);
  assert.match(generated.stdout, new RegExp(`generated ${kFilings} filings`));
  const added = await runBeian(['admin', 'add-provider', ...db.args, '--id', 'p1',
    '--name', 'Provider One', '--callback-url', 'http://127.0.0.1:9/']);
  assert.equal(added.code, 0, added.stderr);
  key = /^([0-9a-f]{64})$/m.exec(added.stdout)?.[1];
  assert.ok(key, added.stdout);
  authority = await serve('authority', []);
  authorityUrl = authority.url;
});

after(async () => {
  await authority?.kill();
  db?.drop();
});

describe('an agent with an empty copy', () => {
  test('the generator is deterministic and writes the filed domains', async () => {
    const domains = fs.readFileSync(domainsFile, 'utf8').trim().split('\n');
    assert.ok(domains.length > kFilings, String(domains.length));
    assert.equal(new Set(domains).size, domains.length);
    assert.ok(domains.some((d) => d.startsWith('xn--') || d.includes('.xn--')));
    // The same N and seed into another registry: the same domains.
    const other = makeDatabases();
    try {
      assert.equal((await runBeian(['migrate', ...other.args])).code, 0);
      const again = path.join(other.dataDir, 'domains.txt');
      const r = await runBeian(['admin', 'generate-registry', ...other.args,
        '--filings', String(kFilings), '--seed', '5', '--domains-out', again]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.readFileSync(again, 'utf8'), fs.readFileSync(domainsFile, 'utf8'));
    } finally {
      other.drop();
    }
  });

  test('catches up: 503 before, killed mid-way it resumes, 200 after, answers equal the feed', async () => {
    const { changes, head } = await wholeFeed();
    assert.ok(head > kFilings);
    assert.equal(changes.length, head);

    // Not ready while the feed cannot be reached: the reason says so.
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const first = await serve('agent', agentArgs().map((a) => (a === authorityUrl ? deadUrl : a)));
    let r = await fetch(`${first.url}/readyz`);
    assert.equal(r.status, 503);
    let body = await r.json();
    assert.equal(body.error.code, 'registry_syncing');
    assert.match(body.error.message, /not caught up .* not been reached/);
    await first.kill();

    // Killed in the middle of the catch-up.
    const second = await serve('agent', agentArgs());
    let cursor = 0;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      cursor = await metric(second.url, 'beian_registry_sync_cursor');
      if (cursor > 0) break;
      r = await fetch(`${second.url}/readyz`);
      assert.equal(r.status, 503, 'ready before any change was applied');
      await r.arrayBuffer();
      await sleep(5);
    }
    assert.ok(cursor > 0 && cursor < head, `cursor ${cursor} of ${head}`);
    r = await fetch(`${second.url}/readyz`);
    assert.equal(r.status, 503);
    body = await r.json();
    assert.equal(body.error.code, 'registry_syncing');
    assert.match(body.error.message, /at change \d+ of \d+ \(\d+ behind\)/);
    assert.ok(await metric(second.url, 'beian_registry_sync_behind') > 0);
    await second.kill('SIGKILL');
    const applied1 = [...second.output().matchAll(/"registry_sync_page".*?"changes":(\d+)/g)]
      .reduce((n, m) => n + Number(m[1]), 0);
    assert.ok(applied1 > 0 && applied1 < head, `${applied1} of ${head}`);

    // The restart resumes from the stored cursor and applies only the rest.
    const third = await serve('agent', agentArgs());
    try {
      const until = Date.now() + 30_000;
      for (;;) {
        r = await fetch(`${third.url}/readyz`);
        await r.arrayBuffer();
        if (r.status === 200) break;
        assert.ok(Date.now() < until, `not caught up:\n${third.output().slice(-3000)}`);
        await sleep(50);
      }
      assert.equal(await metric(third.url, 'beian_registry_sync_cursor'), head);
      assert.equal(await metric(third.url, 'beian_registry_sync_behind'), 0);
      assert.equal(await metric(third.url, 'beian_registry_sync_caught_up'), 1);
      const resumedFrom = Number(/"registry_sync_catching_up".*?"cursor":(\d+)/.exec(third.output())?.[1]);
      assert.ok(resumedFrom >= applied1, `resumed from ${resumedFrom}, had applied ${applied1}`);
      const applied2 = [...third.output().matchAll(/"registry_sync_page".*?"changes":(\d+)/g)]
        .reduce((n, m) => n + Number(m[1]), 0);
      assert.equal(resumedFrom + applied2, head, 'every change applied once after the restart');

      // The answers equal the feed's final state.
      const state = new Map();  // domain → website_sn, or null when no longer filed
      for (const c of changes) {
        for (const d of c.record.domains) state.set(d, c.record.status === 'active' ? c.website_sn : null);
        if (c.record.status !== 'active') {
          for (const [d, sn] of state) if (sn === c.website_sn) state.set(d, null);
        }
      }
      // Cancelled websites list no domains: their generated domains come from the registry's own
      // answer of "not filed"; the domains file lists exactly the filed ones.
      const filed = fs.readFileSync(domainsFile, 'utf8').trim().split('\n');
      assert.deepEqual(new Set(filed), new Set([...state].filter(([, sn]) => sn).map(([d]) => d)));
      const answers = await lookupAll(third.url, filed);
      for (let i = 0; i < filed.length; i += 1) {
        assert.equal(answers[i].filed, true, filed[i]);
        assert.equal(answers[i].website_sn, state.get(filed[i]), filed[i]);
      }
      const unfiled = filed.slice(0, 50).map((d) => `nx-${d}`);
      for (const a of await lookupAll(third.url, unfiled)) assert.equal(a.filed, false);
    } finally {
      await third.kill();
    }
  });
});
