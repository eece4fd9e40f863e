// Notifications against the real binary (issue 9): the outbox written by a transition, the
// development mailbox and each account's history, e-mail through a real SMTP listener
// (python3-aiosmtpd, tests/integration/lib/smtp_sink.py) that accepts, refuses (5xx), defers
// (4xx) or is down, and SMS through a local HTTP sink that answers 2xx, 503, 400 or too late. The
// transition (withdrawing an application) stands whatever the delivery does.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  Client,
  account,
  assertError,
  freePort,
  kDemo,
  kDemoPassword,
  sleep,
  createUser,
  startServer,
} from './lib/server.mjs';
import { smsSink, smtpSink } from './lib/notify_sinks.mjs';

const kToken = 'it-sms-token-7f3a';
const kFast = ['--notify-poll-ms', '50', '--notify-retry-seconds', '0.2'];

// Creates an account with a mobile (from the command line: registration would add its own
// confirmation messages), creates an application and withdraws it (the transition whose
// notifications the tests follow).
async function withdrawOne(server, tag, extra = {}) {
  const c = new Client(server.agentUrl);
  const acct = account(tag, extra);
  await createUser(server.db, acct);
  await c.login(acct.email, acct.password);
  const created = await c.post('/applications',
    { organizer: { type: 'enterprise', name: '北京示例科技有限公司' }, websites: [] });
  assert.equal(created.status, 201, created.text);
  const w = await c.post(`/applications/${created.data.id}/withdraw`);
  assert.equal(w.status, 200, w.text);
  return { c, acct, app: created.data };
}

// Polls the account's history until `done(items)` holds.
async function history(c, done, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let items = [];
  while (Date.now() < deadline) {
    const r = await c.get('/me/notifications');
    assert.equal(r.status, 200, r.text);
    items = r.data.items;
    if (done(items)) return items;
    await sleep(100);
  }
  assert.fail(`history did not settle: ${JSON.stringify(items, null, 1)}`);
}

const byChannel = (items, channel) => items.find((i) => i.channel === channel);

async function admin(server) {
  const a = new Client(server.agentUrl);
  await a.login(kDemo.admin, kDemoPassword);
  return a;
}

describe('development mailbox (no --smtp-url, no --sms-gateway-url)', () => {
  let server;
  after(async () => server?.stop());

  test('a transition puts an e-mail and an SMS in the mailbox and the owner\'s history',
    async () => {
      server = await startServer({ extraArgs: kFast });
      const { c, acct, app } = await withdrawOne(server, 'nt-mailbox');
      const items = await history(c, (i) => i.length === 2 && i.every((n) => n.state === 'sent'));
      const email = byChannel(items, 'email');
      assert.equal(email.to, acct.email);
      assert.equal(email.template, 'application_withdrawn');
      assert.equal(email.attempts, 1);
      assert.match(email.subject, /备案申请已撤回：北京示例科技有限公司/);
      assert.ok(email.sent_at);
      const sms = byChannel(items, 'sms');
      assert.equal(sms.to, `${acct.phone.slice(0, 3)}****${acct.phone.slice(-4)}`);
      assert.match(sms.text, /^【备案服务】备案申请/);
      assert.ok(sms.text.includes(app.id.slice(0, 8)));

      // Demo mode: every signed-in account reads the mailbox.
      const box = await c.get('/admin/mailbox?limit=100');
      assert.equal(box.status, 200, box.text);
      const mine = box.data.items.filter((m) => m.to === acct.email || m.to === sms.to);
      assert.equal(mine.length, 2);
      const mail = mine.find((m) => m.channel === 'email');
      assert.match(mail.html, /<!DOCTYPE html>/);
      assert.ok(mail.text.includes(app.id.slice(0, 8)));
      // The phone number is not stored in clear in the outbox either.
      const adminClient = await admin(server);
      const all = await adminClient.get('/admin/notifications?state=sent&limit=100');
      assert.equal(all.status, 200, all.text);
      assert.ok(all.data.items.some((n) => n.to === sms.to && n.last_error === ''));
      assert.equal((await c.get('/admin/notifications')).status, 403);
      assertError(await c.get('/me/notifications?limit=0'), 400, 'validation_failed');
      assertError(await c.get('/admin/mailbox?cursor=nope'), 400, 'validation_failed');
    });

  test('the mailbox pages with a cursor; anonymous callers get 401', async () => {
    const { c } = await withdrawOne(server, 'nt-paging');
    await history(c, (i) => i.length === 2 && i.every((n) => n.state === 'sent'));
    const first = await c.get('/admin/mailbox?limit=1');
    assert.equal(first.data.items.length, 1);
    assert.ok(first.data.next_cursor);
    const second = await c.get(`/admin/mailbox?limit=1&cursor=${encodeURIComponent(first.data.next_cursor)}`);
    assert.equal(second.data.items.length, 1);
    assert.notEqual(second.data.items[0].id, first.data.items[0].id);
    assert.equal((await new Client(server.agentUrl).get('/admin/mailbox')).status, 401);
  });
});

describe('outside demo mode the mailbox is for admins', () => {
  test('an applicant gets 403', async () => {
    const server = await startServer({ demo: false });
    try {
      const c = new Client(server.agentUrl);
      await c.register(account('nt-nodemo'), { confirm: false });
      assertError(await c.get('/admin/mailbox'), 403, 'forbidden');
      assert.equal((await c.get('/me/notifications')).status, 200);
    } finally {
      await server.stop();
    }
  });
});

describe('SMTP and the SMS gateway', () => {
  test('delivered: a proper MIME e-mail to the SMTP listener, the SMS JSON with Bearer',
    async () => {
      const smtp = await smtpSink('accept');
      const sms = await smsSink(() => ({ status: 200, body: { id: 'g-1' } }));
      process.env.BEIAN_SMS_GATEWAY_TOKEN = kToken;
      const server = await startServer({
        extraArgs: [...kFast, '--smtp-url', `smtp://127.0.0.1:${smtp.port}`,
          '--mail-from', '备案服务 <noreply@beian.test>', '--sms-gateway-url', sms.url,
          '--provider-name', '示例云'],
      });
      delete process.env.BEIAN_SMS_GATEWAY_TOKEN;
      try {
        const { c, acct, app } = await withdrawOne(server, 'nt-smtp', { locale: 'en' });
        const items = await history(c, (i) => i.length === 2 && i.every((n) => n.state === 'sent'));
        assert.equal(items.length, 2);
        const mail = smtp.messages.find((m) => m.rcpt_tos.includes(acct.email));
        assert.ok(mail, JSON.stringify(smtp.messages));
        assert.equal(mail.mail_from, 'noreply@beian.test');
        assert.deepEqual(mail.defects, []);
        assert.equal(mail.subject, 'Filing application withdrawn: 北京示例科技有限公司');
        assert.match(mail.raw_subject, /=\?UTF-8\?B\?/);  // RFC 2047 on the wire
        assert.equal(mail.from, '备案服务 <noreply@beian.test>');
        assert.equal(mail.to, acct.email);
        assert.equal(mail.content_type, 'multipart/alternative');
        assert.match(mail.message_id, /^<[0-9a-f]{32}@beian\.test>$/);
        assert.ok(!Number.isNaN(Date.parse(mail.date)));
        assert.ok(mail.text.includes(`Filing application ${app.id.slice(0, 8)}`), mail.text);
        assert.ok(mail.text.includes('-- 示例云'));
        assert.match(mail.html, /<h2>Filing application withdrawn<\/h2>/);
        const req = sms.requests.find((r) => r.body.to === acct.phone);
        assert.ok(req, JSON.stringify(sms.requests));
        assert.equal(req.method, 'POST');
        assert.equal(req.headers.authorization, `Bearer ${kToken}`);
        assert.match(req.headers['content-type'], /^application\/json/);
        assert.equal(req.headers['idempotency-key'], byChannel(items, 'sms').id);
        assert.equal(req.body.template, 'application_withdrawn');
        assert.equal(req.body.params.application_id, app.id);
        assert.equal(req.body.text, `【示例云】Application ${app.id.slice(0, 8)} withdrawn.`);
        assert.deepEqual(Object.keys(req.body).sort(), ['params', 'template', 'text', 'to']);
        // Nothing went to the development mailbox.
        const box = await c.get('/admin/mailbox');
        assert.deepEqual(box.data.items, []);
      } finally {
        await server.stop();
        smtp.stop();
        await sms.stop();
      }
    });

  test('refused: SMTP 550 and gateway 400 are parked as failed at once, visible to an admin',
    async () => {
      const smtp = await smtpSink('refuse');
      const sms = await smsSink(() => ({ status: 400, body: { error: 'invalid number' } }));
      const server = await startServer({
        extraArgs: [...kFast, '--smtp-url', `smtp://127.0.0.1:${smtp.port}`,
          '--mail-from', 'noreply@beian.test', '--sms-gateway-url', sms.url],
      });
      try {
        const { c, app } = await withdrawOne(server, 'nt-refuse');
        const items = await history(c, (i) => i.length === 2 && i.every((n) => n.state === 'failed'));
        for (const n of items) assert.equal(n.attempts, 1);
        assert.equal(smtp.refusals.length, 1);
        assert.equal(sms.requests.length, 1);
        const a = await admin(server);
        const failed = await a.get('/admin/notifications?state=failed');
        const errors = failed.data.items.map((n) => n.last_error);
        assert.ok(errors.some((e) => e.startsWith('SMTP 550')), JSON.stringify(errors));
        assert.ok(errors.some((e) => e === 'HTTP 400: {"error":"invalid number"}'),
          JSON.stringify(errors));
        // The transition stands.
        assert.equal((await c.get(`/applications/${app.id}`)).data.state, 'withdrawn');
        // An admin may retry a failed message (it fails again here) or cancel it.
        const mail = failed.data.items.find((n) => n.channel === 'email');
        const retried = await a.post(`/admin/notifications/${mail.id}/retry`);
        assert.equal(retried.status, 200, retried.text);
        assert.ok(['pending', 'sending', 'failed'].includes(retried.data.state));
        await history(c, (i) => byChannel(i, 'email').state === 'failed');
        assert.equal(smtp.refusals.length, 2);
        const cancelled = await a.post(`/admin/notifications/${mail.id}/cancel`);
        assert.equal(cancelled.status, 200, cancelled.text);
        assert.equal(cancelled.data.state, 'cancelled');
        assertError(await a.post(`/admin/notifications/${mail.id}/cancel`), 409,
          'invalid_transition');
        assertError(await a.post('/admin/notifications/nope/retry'), 404, 'not_found');
      } finally {
        await server.stop();
        smtp.stop();
        await sms.stop();
      }
    });

  test('deferred: SMTP 451 and gateway 503 are retried until delivered, once each', async () => {
    const smtp = await smtpSink('defer', 2);
    const sms = await smsSink((r, n) => (n === 1 ? { status: 503 } : { status: 202 }));
    const server = await startServer({
      extraArgs: [...kFast, '--smtp-url', `smtp://127.0.0.1:${smtp.port}`,
        '--mail-from', 'noreply@beian.test', '--sms-gateway-url', sms.url],
    });
    try {
      const { c } = await withdrawOne(server, 'nt-defer');
      const items = await history(c, (i) => i.length === 2 && i.every((n) => n.state === 'sent'));
      assert.equal(byChannel(items, 'email').attempts, 3);
      assert.equal(byChannel(items, 'sms').attempts, 2);
      assert.equal(smtp.refusals.length, 2);
      assert.equal(smtp.messages.length, 1);
      assert.equal(sms.requests.length, 2);
      // The retry is the same message to the gateway.
      assert.equal(sms.requests[0].headers['idempotency-key'],
        sms.requests[1].headers['idempotency-key']);
    } finally {
      await server.stop();
      smtp.stop();
      await sms.stop();
    }
  });

  test('timed out: a gateway slower than the 10 s timeout gets the retry as the same message',
    async () => {
      // The first answer comes 12 s later (after the client gave up); the retry is answered at
      // once. The gateway sees one message twice under one Idempotency-Key, and the outbox
      // marks it sent once.
      const sms = await smsSink((r, n) => (n === 1 ? { status: 202, delayMs: 12_000 }
        : { status: 202 }));
      const server = await startServer({
        extraArgs: [...kFast, '--sms-gateway-url', sms.url],
      });
      try {
        const { c } = await withdrawOne(server, 'nt-slow');
        const items = await history(c, (i) => {
          const s = byChannel(i, 'sms');
          return s !== undefined && s.state === 'sent';
        }, 40_000);
        const s = byChannel(items, 'sms');
        assert.equal(s.attempts, 2);
        assert.equal(sms.requests.length, 2);
        assert.equal(sms.requests[0].headers['idempotency-key'],
          sms.requests[1].headers['idempotency-key']);
        assert.deepEqual(sms.requests[0].body, sms.requests[1].body);
      } finally {
        await server.stop();
        await sms.stop();
      }
    });

  test('down: an unreachable SMTP server and gateway are retried, then failed', async () => {
    const deadSmtp = await freePort();
    const deadGateway = await freePort();
    const server = await startServer({
      extraArgs: [...kFast, '--notify-max-attempts', '3', '--smtp-url',
        `smtp://127.0.0.1:${deadSmtp}`, '--mail-from', 'noreply@beian.test',
        '--sms-gateway-url', `http://127.0.0.1:${deadGateway}/sms`],
    });
    try {
      const { c, app } = await withdrawOne(server, 'nt-down');
      const items = await history(c, (i) => i.length === 2 && i.every((n) => n.state === 'failed'));
      for (const n of items) assert.equal(n.attempts, 3);
      const a = await admin(server);
      const failed = (await a.get('/admin/notifications?state=failed')).data.items;
      for (const n of failed) assert.match(n.last_error, /gave up after 3 attempts/);
      assert.equal((await c.get(`/applications/${app.id}`)).data.state, 'withdrawn');
    } finally {
      await server.stop();
    }
  });
});

describe('start-up checks', () => {
  test('a bad --smtp-url, --mail-from or --provider-name refuses the start', async () => {
    for (const args of [
      ['--smtp-url', 'http://127.0.0.1:25'],
      ['--smtp-url', 'smtp://127.0.0.1:25'],  // no --mail-from
      ['--provider-name', '一个非常非常长的接入商名称'],
    ]) {
      await assert.rejects(startServer({ extraArgs: args }), /notifications:/);
    }
  });
});
