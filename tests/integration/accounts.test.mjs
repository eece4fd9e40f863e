// Accounts against the real binary: the register → me → logout → login journey, cookie
// attributes, CSRF tokens per session, password rules, roles, the authority's own login, and
// `beian admin create-user` run while the server is up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  account,
  assertAlive,
  assertError,
  kDemo,
  kDemoPassword,
  runBeian,
  startServer,
  uniqueEmail,
  uniqueMobile,
} from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

const agent = () => new Client(server.agentUrl, '/api/v1');
const authority = () => new Client(server.authorityUrl, '/authority/v1');

function parseSetCookie(header) {
  const [pair, ...rest] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attrs = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? true : a.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs };
}

const kUserKeys = ['display_name', 'email', 'email_confirmed', 'id', 'locale', 'mobile_confirmed', 'phone', 'role'];

describe('account journey', () => {
  test('register → sign in → confirm → /me → logout → /me 401 → login', async () => {
    const acct = account('journey');
    const c = agent();
    const reg = await c.register(acct);
    assert.deepEqual(Object.keys(reg.data).sort(), ['csrf_token', 'user']);
    assert.deepEqual(Object.keys(reg.data.user).sort(), kUserKeys);
    assert.equal(reg.data.user.email, acct.email);
    assert.equal(reg.data.user.phone, acct.phone);
    assert.equal(reg.data.user.display_name, acct.display_name);
    assert.equal(reg.data.user.role, 'applicant');
    assert.equal(reg.data.user.locale, 'zh-CN');
    assert.match(reg.data.user.id, /^\S+$/);
    assert.match(reg.data.csrf_token, /^[A-Za-z0-9_-]{32,}$/);
    assert.equal(reg.headers.get('cache-control'), 'no-store');

    const me = await c.get('/me');
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.data.user, reg.data.user);
    assert.equal(me.data.csrf_token, reg.data.csrf_token);
    assert.equal(me.headers.get('cache-control'), 'no-store');

    const oldCookie = c.cookieHeader();
    const out = await c.request('POST', '/auth/logout');
    assert.equal(out.status, 204, out.text);
    assert.equal(out.text, '');
    const cleared = parseSetCookie(out.setCookies.find((s) => s.startsWith('beian_session=')));
    assert.equal(cleared.value, '');
    assert.equal(cleared.attrs['max-age'], '0');
    // A browser only drops the cookie if the deleting one has the same path.
    assert.equal(cleared.attrs.path, '/');
    assert.equal(cleared.attrs.httponly, true);
    assert.equal(c.cookies.size, 0);
    assertError(await c.get('/me'), 401, 'unauthenticated');
    // The old cookie is dead on the server, not just forgotten by the client.
    const replay = await c.get('/me', { headers: { Cookie: oldCookie } });
    assertError(replay, 401, 'unauthenticated');
    // So a logout with it is refused too.
    const replayOut = await c.request('POST', '/auth/logout', {
      headers: { Cookie: oldCookie, 'X-CSRF-Token': reg.data.csrf_token },
    });
    assertError(replayOut, 401, 'unauthenticated');

    const login = await c.login(`  ${acct.email.toUpperCase()} `, acct.password);
    assert.deepEqual(login.data.user, reg.data.user);
    assert.equal((await c.get('/me')).data.user.id, reg.data.user.id);
  });

  test('the e-mail is stored in lower case and the mobile number without surrounding spaces', async () => {
    const base = account('normal');
    const [local, domain] = base.email.split('@');
    const mixed = `${local.toUpperCase()}@${domain.toUpperCase()}`;
    const c = agent();
    const reg = await c.register({ ...base, email: `  ${mixed} `, phone: ` ${base.phone} ` });
    assert.equal(reg.data.user.email, base.email);
    assert.equal(reg.data.user.phone, base.phone, 'the mobile number is stored as validated (trimmed)');
    assert.equal((await c.get('/me')).data.user.phone, base.phone);
  });

  test('registration keeps the chosen locale and trims the display name', async () => {
    const acct = account('locale', { locale: 'en', display_name: '  Ada Lovelace  ' });
    const c = agent();
    const reg = await c.register(acct);
    assert.equal(reg.data.user.locale, 'en');
    assert.equal(reg.data.user.display_name, 'Ada Lovelace');
  });

  test('session cookie attributes: HttpOnly, SameSite=Lax, Path=/, Max-Age, not Secure', async () => {
    const c = agent();
    const reg = await c.register(account('cookie'));
    assert.equal(reg.setCookies.length, 1, reg.setCookies.join('\n'));
    const ck = parseSetCookie(reg.setCookies[0]);
    assert.equal(ck.name, 'beian_session');
    assert.match(ck.value, /^[A-Za-z0-9_-]{43,}$/, 'at least 256 bits, URL-safe');
    assert.equal(ck.attrs.httponly, true);
    assert.equal(ck.attrs.samesite, 'Lax');
    assert.equal(ck.attrs.path, '/');
    assert.ok(Number(ck.attrs['max-age']) > 0);
    assert.equal(ck.attrs.secure, undefined, 'not Secure without --cookie-secure');
    assert.equal(ck.attrs.domain, undefined);

    const a = authority();
    const login = await a.login(kDemo.authority, kDemoPassword);
    const ack = parseSetCookie(login.setCookies[0]);
    assert.equal(ack.name, 'beian_authority_session');
    assert.equal(ack.attrs.httponly, true);
    assert.equal(ack.attrs.samesite, 'Lax');
  });

  test('each login gets its own session and CSRF token', async () => {
    const acct = account('rotate');
    const c1 = agent();
    const reg = await c1.register(acct);
    const c2 = agent();
    const l2 = await c2.login(acct.email, acct.password);
    const c3 = agent();
    const l3 = await c3.login(acct.email, acct.password);
    const tokens = new Set([reg.data.csrf_token, l2.data.csrf_token, l3.data.csrf_token]);
    assert.equal(tokens.size, 3, 'a new CSRF token per login');
    const cookies = new Set([c1.cookieHeader(), c2.cookieHeader(), c3.cookieHeader()]);
    assert.equal(cookies.size, 3, 'a new session per login');
    // A token belongs to its session: session 2 with session 3's token is refused.
    const cross = await c2.request('POST', '/auth/logout', { headers: { 'X-CSRF-Token': l3.data.csrf_token } });
    assertError(cross, 403, 'csrf_failed');
    // Logging out one session leaves the others.
    assert.equal((await c2.request('POST', '/auth/logout')).status, 204);
    assertError(await c2.get('/me'), 401, 'unauthenticated');
    assert.equal((await c1.get('/me')).status, 200);
    assert.equal((await c3.get('/me')).data.csrf_token, l3.data.csrf_token);
  });

  test('sign out everywhere ends every session of the account, and only its', async () => {
    const acct = account('everywhere');
    const other = account('notme');
    const c1 = agent();
    await c1.register(acct);
    const c2 = agent();
    await c2.login(acct.email, acct.password);
    const bystander = agent();
    await bystander.register(other);
    // An unsafe method: the CSRF token is required like everywhere else.
    assertError(await c1.request('POST', '/auth/logout-all', { csrf: false }), 403, 'csrf_failed');
    const out = await c1.request('POST', '/auth/logout-all');
    assert.equal(out.status, 204, out.text);
    assert.ok(out.setCookies.some((s) => s.startsWith('beian_session=;')), out.setCookies.join(' | '));
    assertError(await c1.get('/me'), 401, 'unauthenticated');
    assertError(await c2.get('/me'), 401, 'unauthenticated');
    assert.equal((await bystander.get('/me')).status, 200);
    assertError(await agent().request('POST', '/auth/logout-all'), 401, 'unauthenticated');
  });

  test('an unauthenticated /me and logout → 401 unauthenticated', async () => {
    const c = agent();
    assertError(await c.get('/me'), 401, 'unauthenticated');
    assertError(await c.request('POST', '/auth/logout'), 401, 'unauthenticated');
    assertError(await c.get('/me', { headers: { Cookie: 'beian_session=forged-token-value' } }), 401, 'unauthenticated');
    assertError(await c.get('/me', { headers: { Cookie: 'beian_session=' } }), 401, 'unauthenticated');
  });
});

describe('password and registration rules', () => {
  async function refused(acct, field, code) {
    const r = await agent().post('/auth/register', acct);
    const e = assertError(r, 400, 'validation_failed', `${field}/${code}`);
    assert.ok(
      e.details.some((d) => d.field === field && d.code === code),
      `expected ${field}/${code} in ${JSON.stringify(e.details)}`,
    );
    assert.equal(r.setCookies.length, 0);
    return e;
  }

  test('a password shorter than 10 characters is refused with a field detail', async () => {
    const acct = account('short');
    await refused({ ...acct, password: '123456789' }, 'password', 'password_too_short');
    await refused({ ...acct, password: '' }, 'password', 'required');
    // Nothing was stored: the e-mail is still free, and exactly 10 characters are enough.
    await agent().register({ ...acct, password: 'q7-Lm2xZp9' });
  });

  test('common and trivially simple passwords are refused (password_too_common / _simple)', async () => {
    const acct = account('weak');
    await refused({ ...acct, password: '1234567890' }, 'password', 'password_too_simple');
    await refused({ ...acct, password: 'aaaaaaaaaa' }, 'password', 'password_too_simple');
    await refused({ ...acct, password: '密码密码密码密码密码' }, 'password', 'password_too_simple');
    await refused({ ...acct, password: 'password123' }, 'password', 'password_too_common');
    await refused({ ...acct, password: 'iloveyou123' }, 'password', 'password_too_common');
    await agent().register(acct);
  });

  test('length counts characters, not bytes', async () => {
    // 9 CJK characters are 27 bytes but still too short; 10 are enough.
    await refused({ ...account('cjk9'), password: '我的密码是长江黄河' }, 'password', 'password_too_short');
    const acct = account('cjk10', { password: '我的密码是长江黄河啊' });
    await agent().register(acct);
    await agent().login(acct.email, acct.password);
  });

  test('the password may not be the e-mail or its local part', async () => {
    const email = uniqueEmail('sameaspw');
    const local = email.split('@')[0];
    await refused({ ...account('x'), email, password: email }, 'password', 'password_equals_email');
    await refused({ ...account('x'), email, password: email.toUpperCase() }, 'password', 'password_equals_email');
    await refused({ ...account('x'), email, password: local }, 'password', 'password_equals_email');
    await agent().register({ ...account('x'), email, password: `${local}!` });
  });

  test('every invalid field is reported at once', async () => {
    const r = await agent().post('/auth/register', {
      email: 'not-an-email',
      phone: '12345',
      password: 'short',
      display_name: '   ',
    });
    const e = assertError(r, 400, 'validation_failed');
    const got = e.details.map((d) => `${d.field}/${d.code}`).sort();
    assert.deepEqual(got, [
      'display_name/required',
      'email/invalid_email',
      'password/password_too_short',
      'phone/invalid_mobile',
    ]);
    for (const d of e.details) assert.ok(d.message.length > 0);
  });

  test('invalid e-mails and mobiles', async () => {
    for (const email of ['a@b', '@example.com', 'a..b@example.com', 'a b@example.com', `${'x'.repeat(65)}@example.com`]) {
      await refused({ ...account('e'), email }, 'email', 'invalid_email');
    }
    for (const phone of ['12345678901', '1390000000', '139000000001', '+8713900000000', '1390000000a']) {
      await refused({ ...account('m'), phone }, 'phone', 'invalid_mobile');
    }
    await refused({ ...account('n'), display_name: 'n'.repeat(65) }, 'display_name', 'too_long');
    await refused({ ...account('n'), display_name: '名'.repeat(65) }, 'display_name', 'too_long');
    // 64 characters are fine even when they are 192 bytes.
    await agent().register(account('n64', { display_name: '名'.repeat(64) }));
  });

  test('the console\'s mobile spellings are accepted and stored as 11 digits', async () => {
    for (const spelling of ['+86 138 0013 8000', '+86-138-0013-8000', '8613800138000']) {
      const c = agent();
      const r = await c.register(account('mobile', { phone: spelling }));
      assert.equal(r.data.user.phone, '13800138000', spelling);
      assert.equal((await c.get('/me')).data.user.phone, '13800138000');
    }
  });

  test('a password longer than 256 bytes is refused', async () => {
    await refused({ ...account('long'), password: 'p'.repeat(257) }, 'password', 'password_too_long');
    const long256 = Array.from({ length: 32 }, (_, i) => `w${String(i).padStart(2, '0')}x-${'abcdefghijklmnopqrstuvwxyz'[i % 26]}q!`).join('');
    assert.equal(long256.length, 256);
    await agent().register(account('long256', { password: long256 }));
  });
});

describe('roles and the authority', () => {
  test('/me shows the role of each demo account', async () => {
    for (const [role, email] of [
      ['applicant', kDemo.applicant],
      ['reviewer', kDemo.reviewer],
      ['admin', kDemo.admin],
    ]) {
      const c = agent();
      await c.login(email, kDemoPassword);
      const me = await c.get('/me');
      assert.equal(me.data.user.role, role, email);
      assert.equal(me.data.user.email, email);
    }
  });

  test('the authority reviewer logs in to the authority, and only there', async () => {
    const a = authority();
    const login = await a.login(kDemo.authority, kDemoPassword);
    assert.equal(login.data.user.role, 'authority_reviewer');
    const me = await a.get('/me');
    assert.equal(me.status, 200);
    assert.equal(me.data.user.email, kDemo.authority);
    assert.equal(me.data.user.role, 'authority_reviewer');
    assert.equal(me.data.csrf_token, login.data.csrf_token);
    // The authority account does not exist at the agent.
    assertError(await agent().post('/auth/login', { email: kDemo.authority, password: kDemoPassword }), 401, 'invalid_credentials');
    // An authority session cookie means nothing to the agent (other cookie, other database).
    const token = a.cookies.get('beian_authority_session');
    assertError(await agent().get('/me', { headers: { Cookie: `beian_session=${token}` } }), 401, 'unauthenticated');
    // Unsafe requests at the authority need its CSRF token too.
    assertError(await a.request('POST', '/auth/logout', { csrf: false }), 403, 'csrf_failed');
    assert.equal((await a.get('/me')).status, 200);
    const out = await a.request('POST', '/auth/logout');
    assert.equal(out.status, 204);
    assertError(await a.get('/me'), 401, 'unauthenticated');
  });

  test('an agent user is refused at the authority with invalid_credentials', async () => {
    for (const email of [kDemo.applicant, kDemo.admin]) {
      const r = await authority().post('/auth/login', { email, password: kDemoPassword });
      assertError(r, 401, 'invalid_credentials', email);
      assert.equal(r.setCookies.length, 0);
    }
    // An agent session cookie means nothing to the authority.
    const c = agent();
    await c.login(kDemo.applicant, kDemoPassword);
    const token = c.cookies.get('beian_session');
    assertError(
      await authority().get('/me', { headers: { Cookie: `beian_authority_session=${token}` } }),
      401,
      'unauthenticated',
    );
  });
});

describe('beian admin create-user while serving', () => {
  const adminArgs = (email, role, extra = []) => [
    'admin', 'create-user', ...server.db.args, '--email', email, '--role', role, '--password-stdin', ...extra,
  ];

  test('a reviewer created from the command line logs in to the agent', async () => {
    const email = uniqueEmail('clireviewer');
    const password = 'cli-password-123';
    const r = await runBeian(adminArgs(email, 'reviewer', ['--display-name', 'CLI Reviewer', '--phone', uniqueMobile()]), {
      input: `${password}\n`,
    });
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(password), 'the password is never echoed');
    const c = agent();
    const login = await c.login(email, password);
    assert.equal(login.data.user.role, 'reviewer');
    assert.equal(login.data.user.display_name, 'CLI Reviewer');
    assert.equal((await c.get('/me')).data.user.role, 'reviewer');
    await assertAlive(server);
  });

  test('an admin and an authority reviewer created from the command line', async () => {
    const adminEmail = uniqueEmail('cliadmin');
    const r1 = await runBeian(adminArgs(adminEmail, 'admin'), { input: 'admin-password-1\n' });
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal((await agent().login(adminEmail, 'admin-password-1')).data.user.role, 'admin');

    const authEmail = uniqueEmail('cliauthority');
    const r2 = await runBeian(adminArgs(authEmail, 'authority_reviewer'), { input: 'authority-password-1' });
    assert.equal(r2.code, 0, r2.stderr);
    const login = await authority().login(authEmail, 'authority-password-1');
    assert.equal(login.data.user.role, 'authority_reviewer');
    // It lives in the authority's database only.
    assertError(await agent().post('/auth/login', { email: authEmail, password: 'authority-password-1' }), 401, 'invalid_credentials');
  });

  test('a too-short password is refused with a non-zero exit and creates nobody', async () => {
    const email = uniqueEmail('clishort');
    const r = await runBeian(adminArgs(email, 'reviewer'), { input: 'short\n' });
    assert.notEqual(r.code, 0, `exit ${r.code}\n${r.stdout}`);
    assert.match(`${r.stdout}${r.stderr}`, /password/i);
    assertError(await agent().post('/auth/login', { email, password: 'short' }), 401, 'invalid_credentials');
    // The e-mail is still free.
    const ok = await runBeian(adminArgs(email, 'reviewer'), { input: 'long-enough-pw\n' });
    assert.equal(ok.code, 0, ok.stderr);
    await agent().login(email, 'long-enough-pw');
  });

  test('an existing e-mail is refused with a non-zero exit; the account is unchanged', async () => {
    const acct = account('cliexisting');
    await agent().register(acct);
    const r = await runBeian(adminArgs(acct.email, 'admin'), { input: 'takeover-password\n' });
    assert.notEqual(r.code, 0, `exit ${r.code}\n${r.stdout}`);
    const login = await agent().login(acct.email, acct.password);
    assert.equal(login.data.user.role, 'applicant');
  });

  test('without --password-stdin, or with an empty stdin, nothing is created', async () => {
    const email = uniqueEmail('clinostdin');
    const args = ['admin', 'create-user', ...server.db.args, '--email', email, '--role', 'applicant'];
    const r1 = await runBeian(args, { input: 'some-password-1\n' });
    assert.notEqual(r1.code, 0);
    const r2 = await runBeian(adminArgs(email, 'applicant'), { input: '' });
    assert.notEqual(r2.code, 0);
    const r3 = await runBeian(adminArgs(email, 'superuser'), { input: 'some-password-1\n' });
    assert.notEqual(r3.code, 0, 'unknown role');
    assertError(await agent().post('/auth/login', { email, password: 'some-password-1' }), 401, 'invalid_credentials');
    await assertAlive(server);
  });
});
