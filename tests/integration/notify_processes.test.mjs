// Notifications across processes (issue 9 items 2 and "Faults"): two `beian serve --service
// agent` processes on one database deliver every message exactly once to one SMTP listener and
// one SMS sink; an agent killed (SIGKILL) while an e-mail is in flight leaves a lease, and after
// a restart the message is sent again at most once more and marked sent once.
// Runs on SQLite (two processes on one file) and on PostgreSQL (FOR UPDATE SKIP LOCKED).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import {
  Client,
  account,
  createUser,
  freePort,
  kBin,
  kWebDir,
  makeDatabases,
  sleep,
} from './lib/server.mjs';
import { smsSink, smtpSink } from './lib/notify_sinks.mjs';

const kSecret = crypto.randomBytes(32).toString('hex');
// `beian admin create-user` (createUser) seals mobile numbers with the agents' key.
process.env.BEIAN_SECRET_KEY = kSecret;

// One agent process on `db`: {url, child, output(), stop(signal)}.
async function startAgent(db, extraArgs) {
  const port = await freePort();
  const args = ['serve', '--service', 'agent', ...db.args.filter((a, i, all) =>
    a !== '--authority-database' && all[i - 1] !== '--authority-database'),
  '--agent-listen', `127.0.0.1:${port}`, '--web-dir', kWebDir, '--log-level', 'warn',
  '--migrate', '--notify-poll-ms', '50', ...extraArgs];
  const child = spawn(kBin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BEIAN_SECRET_KEY: kSecret },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out = (out + d).slice(-20000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/readyz`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`agent not ready:\n${out}`);
    await sleep(100);
  }
  return {
    url,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
      child.kill(signal);
      return exited;
    },
  };
}

async function withdrawApplication(c) {
  const created = await c.post('/applications',
    { organizer: { type: 'enterprise', name: '北京示例科技有限公司' }, websites: [] });
  assert.equal(created.status, 201, created.text);
  const w = await c.post(`/applications/${created.data.id}/withdraw`);
  assert.equal(w.status, 200, w.text);
  return created.data.id;
}

async function settled(c, expected, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let items = [];
  while (Date.now() < deadline) {
    items = [];
    let cursor = null;
    do {
      const r = await c.get(`/me/notifications?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      items.push(...r.data.items);
      cursor = r.data.next_cursor;
    } while (cursor);
    if (items.length === expected && items.every((n) => n.state === 'sent')) return items;
    await sleep(150);
  }
  assert.fail(`not all sent: ${JSON.stringify(items.filter((n) => n.state !== 'sent'))}`);
}

describe('two agent processes on one database', () => {
  test('deliver each message exactly once', async () => {
    const db = makeDatabases();
    const smtp = await smtpSink('accept');
    const sms = await smsSink(() => ({ status: 200 }));
    const common = ['--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--mail-from',
      'noreply@beian.test', '--sms-gateway-url', sms.url, '--notify-workers', '3'];
    const a = await startAgent(db, common);
    const b = await startAgent(db, common);
    try {
      // Accounts from the command line: registration would put its own messages in the outbox.
      const [accA, accB] = [account('nt-two-a'), account('nt-two-b')];
      await createUser(db, accA);
      await createUser(db, accB);
      const ca = new Client(a.url);
      await ca.login(accA.email, accA.password);
      const cb = new Client(b.url);
      await cb.login(accB.email, accB.password);
      const kEach = 15;
      await Promise.all([
        (async () => { for (let i = 0; i < kEach; i += 1) await withdrawApplication(ca); })(),
        (async () => { for (let i = 0; i < kEach; i += 1) await withdrawApplication(cb); })(),
      ]);
      const items = [...await settled(ca, 2 * kEach), ...await settled(cb, 2 * kEach)];
      for (const n of items) assert.equal(n.attempts, 1, JSON.stringify(n));
      const ids = smtp.messages.map((m) => m.message_id);
      assert.equal(ids.length, 2 * kEach);
      assert.equal(new Set(ids).size, 2 * kEach, 'an e-mail was sent twice');
      const keys = sms.requests.map((r) => r.headers['idempotency-key']);
      assert.equal(keys.length, 2 * kEach);
      assert.equal(new Set(keys).size, 2 * kEach, 'an SMS was sent twice');
      for (const n of items.filter((x) => x.channel === 'email')) {
        assert.ok(ids.some((id) => id.startsWith(`<${n.id}@`)), n.id);
      }
    } finally {
      await a.stop();
      await b.stop();
      smtp.stop();
      await sms.stop();
      db.drop();
    }
  });
});

describe('a worker killed mid-delivery', () => {
  test('the message is sent again at most once more after the lease, and marked sent once',
    async () => {
      const db = makeDatabases();
      const slow = await smtpSink('slow', 3);
      const sms = await smsSink(() => ({ status: 200 }));
      const args = ['--smtp-url', `smtp://127.0.0.1:${slow.port}`, '--mail-from',
        'noreply@beian.test', '--sms-gateway-url', sms.url, '--notify-lease-seconds', '2'];
      const first = await startAgent(db, args);
      let second;
      try {
        const c = new Client(first.url);
        const acct = account('nt-kill');
        await createUser(db, acct);
        await c.login(acct.email, acct.password);
        await withdrawApplication(c);
        // The e-mail is in flight (DATA sent, the listener still thinking): kill the agent.
        const deadline = Date.now() + 15_000;
        while (slow.started.length === 0 && Date.now() < deadline) await sleep(20);
        assert.equal(slow.started.length, 1, 'the delivery did not start');
        const killed = await first.stop('SIGKILL');
        assert.equal(killed.sig, 'SIGKILL');
        second = await startAgent(db, args);
        const c2 = new Client(second.url);
        await c2.login(acct.email, acct.password);
        const items = await settled(c2, 2, 40_000);
        const email = items.find((n) => n.channel === 'email');
        assert.equal(email.attempts, 2);
        // The listener may have finished the killed delivery too: at most two copies.
        await sleep(3500);
        const copies = slow.messages.filter((m) => m.message_id === `<${email.id}@beian.test>`);
        assert.ok(copies.length >= 1 && copies.length <= 2, `${copies.length} copies`);
        assert.equal(sms.requests.length >= 1 && sms.requests.length <= 2, true);
      } finally {
        await first.stop('SIGKILL');
        await second?.stop();
        slow.stop();
        await sms.stop();
        db.drop();
      }
    });
});
