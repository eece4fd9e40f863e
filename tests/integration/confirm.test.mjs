// Account confirmation and password reset against the real binary (issue 9 item 8): register →
// the link and code from the development mailbox → confirm → submit allowed; an unconfirmed
// submit refused (403 account_unconfirmed); a second registration of an address answers the
// same and mails the owner; the reset link ends every session and works once; throttles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  account,
  assertError,
  maskMobile,
  startServer,
  waitForMailboxMessage,
} from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

const agent = () => new Client(server.agentUrl, '/api/v1');

// A draft that the precheck refuses (a bad ID-number check digit): a submit past the
// confirmation gate answers precheck_failed.
function draft() {
  const n = `${process.pid}${Date.now() % 100000}`;
  return {
    organizer: {
      type: 'enterprise',
      name: '北京示例科技有限公司',
      certificate: { type: 'business_license', number: `9111${n.padStart(14, '0')}` },
      province: '11',
      address: '北京市海淀区中关村大街1号',
      person_in_charge: {
        name: '张三', id_type: 'resident_id_card', id_number: '330106199001011235',
        mobile: '13900000001', email: 'zhang@example.com',
      },
    },
    websites: [],
  };
}

describe('confirmation', () => {
  test('register → unconfirmed → submit refused → link and code → confirmed → submit allowed', async () => {
    const acct = account('confirm-journey', { password: 'zh-lantern-river-7' });
    const c = agent();
    const r = await c.post('/auth/register', acct);
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.data, { status: 'accepted' });
    assert.equal(r.setCookies.length, 0, 'registration signs nobody in');
    const login = await c.login(acct.email, acct.password);
    assert.equal(login.data.user.email_confirmed, false);
    assert.equal(login.data.user.mobile_confirmed, false);

    const created = await c.post('/applications', draft());
    assert.equal(created.status, 201, created.text);
    const id = created.data.id;
    const refused = assertError(await c.post(`/applications/${id}/submit`, {}), 403, 'account_unconfirmed');
    assert.deepEqual(refused.details.map((d) => d.code).sort(), ['email_unconfirmed', 'mobile_unconfirmed']);

    // The link: one-time.
    const mail = await waitForMailboxMessage(c, (m) => m.template === 'account_confirm_email' && m.to === acct.email);
    const token = /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)[1];
    assert.match(mail.html, /confirm-email\?token=/);
    assertError(await agent().post('/auth/confirm-email', { token: `${token}x` }), 400, 'token_invalid');
    assert.equal((await agent().post('/auth/confirm-email', { token })).status, 204, 'no sign-in needed');
    assertError(await agent().post('/auth/confirm-email', { token }), 400, 'token_invalid');
    let me = await c.get('/me');
    assert.equal(me.data.user.email_confirmed, true);
    assert.equal(me.data.user.mobile_confirmed, false);
    const still = assertError(await c.post(`/applications/${id}/submit`, {}), 403, 'account_unconfirmed');
    assert.deepEqual(still.details.map((d) => d.code), ['mobile_unconfirmed']);

    // The code: signed in only; a wrong one is refused.
    const sms = await waitForMailboxMessage(c, (m) => m.template === 'account_confirm_mobile' && m.to === maskMobile(acct.phone));
    const code = /(\d{6})/.exec(sms.text)[1];
    assertError(await agent().post('/auth/confirm-mobile', { code }), 401, 'unauthenticated');
    const wrong = code === '000000' ? '000001' : '000000';
    assertError(await c.post('/auth/confirm-mobile', { code: wrong }), 400, 'token_invalid');
    // The history of the account leaves the code out.
    const history = await c.get('/me/notifications');
    const codes = history.data.items.filter((i) => i.template === 'account_confirm_mobile');
    assert.ok(codes.length > 0, history.text);
    assert.ok(codes.every((i) => i.text === ''), history.text);
    assert.equal((await c.post('/auth/confirm-mobile', { code })).status, 204);
    me = await c.get('/me');
    assert.equal(me.data.user.email_confirmed, true);
    assert.equal(me.data.user.mobile_confirmed, true);
    assertError(await c.post(`/applications/${id}/submit`, {}), 422, 'precheck_failed');
  });

  test('resend sends a new code; the old one no longer works', async () => {
    const acct = account('confirm-resend', { password: 'zh-lantern-river-7' });
    const c = agent();
    await c.register(acct, { confirm: false });
    const masked = maskMobile(acct.phone);
    const first = await waitForMailboxMessage(c, (m) => m.template === 'account_confirm_mobile' && m.to === masked);
    const r = await c.post('/auth/confirm-mobile/resend');
    assert.equal(r.status, 202, r.text);
    const second = await waitForMailboxMessage(c, (m) => m.template === 'account_confirm_mobile' && m.to === masked && m.id !== first.id);
    const oldCode = /(\d{6})/.exec(first.text)[1];
    const newCode = /(\d{6})/.exec(second.text)[1];
    if (oldCode !== newCode) {
      assertError(await c.post('/auth/confirm-mobile', { code: oldCode }), 400, 'token_invalid');
    }
    assert.equal((await c.post('/auth/confirm-mobile', { code: newCode })).status, 204);
  });

  test('resend is throttled per account (429 with Retry-After)', async () => {
    const c = agent();
    await c.register(account('confirm-throttle', { password: 'zh-lantern-river-7' }), { confirm: false });
    let last;
    for (let i = 0; i < 6; i++) {
      last = await c.post('/auth/confirm-mobile/resend');
      if (last.status === 429) break;
      assert.equal(last.status, 202, last.text);
    }
    assertError(last, 429, 'too_many_requests');
    assert.ok(Number(last.headers.get('retry-after')) > 0);
  });

  test('registering an address that has an account answers the same and mails the owner', async () => {
    const acct = account('confirm-dup', { password: 'zh-lantern-river-7' });
    const owner = agent();
    await owner.register(acct);
    const again = await agent().post('/auth/register', { ...account('confirm-dup2'), email: acct.email });
    assert.equal(again.status, 202, again.text);
    assert.deepEqual(again.data, { status: 'accepted' });
    assert.equal(again.setCookies.length, 0);
    const notice = await waitForMailboxMessage(owner, (m) => m.template === 'account_exists' && m.to === acct.email);
    assert.match(notice.text, /forgot-password/);
    // The owner's account and password are unchanged.
    await agent().login(acct.email, acct.password);
  });
});

describe('password reset', () => {
  test('the link resets the password, ends every session and works once', async () => {
    const acct = account('reset', { password: 'zh-lantern-river-7' });
    const c1 = agent();
    await c1.register(acct);
    const c2 = agent();
    await c2.login(acct.email, acct.password);
    const unknown = await agent().post('/auth/password-reset', { email: `nobody-${Date.now()}@example.com` });
    assert.equal(unknown.status, 202, 'an unknown address answers the same');
    const r = await agent().post('/auth/password-reset', { email: acct.email.toUpperCase() });
    assert.equal(r.status, 202, r.text);
    const mail = await waitForMailboxMessage(c1, (m) => m.template === 'password_reset' && m.to === acct.email);
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)[1];
    const weak = await agent().post('/auth/password-reset/confirm', { token, password: 'short' });
    assertError(weak, 400, 'validation_failed');
    const next = 'zh-harbour-lamp-42';
    assert.equal((await agent().post('/auth/password-reset/confirm', { token, password: next })).status, 204);
    assertError(await c1.get('/me'), 401, 'unauthenticated');
    assertError(await c2.get('/me'), 401, 'unauthenticated');
    assertError(await agent().post('/auth/login', { email: acct.email, password: acct.password }), 401, 'invalid_credentials');
    await agent().login(acct.email, next);
    assertError(await agent().post('/auth/password-reset/confirm', { token, password: 'zh-other-kite-9' }), 400, 'token_invalid');
  });

  test('reset requests are throttled per e-mail address', async () => {
    const email = account('reset-throttle').email;
    let last;
    for (let i = 0; i < 6; i++) {
      last = await agent().post('/auth/password-reset', { email });
      if (last.status === 429) break;
      assert.equal(last.status, 202, last.text);
    }
    assertError(last, 429, 'too_many_requests');
  });
});
