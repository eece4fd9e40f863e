// Integration-test harness: starts the real `beian serve` on free ports with a throwaway data
// dir (and, for BEIAN_IT_BACKEND=postgres, two fresh PostgreSQL databases), waits until both
// services answer /readyz, and stops it with SIGTERM expecting exit code 0. Also: a cookie-
// keeping API client, raw-socket HTTP helpers for what fetch cannot do, and the CLI runner.
//
// Environment: BEIAN_BIN (default build/beian), BEIAN_WEB_DIR (default web/dist),
// BEIAN_IT_BACKEND = sqlite (default) | postgres, BEIAN_TEST_POSTGRES_URL (postgres only).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const kRepo = path.resolve(here, '..', '..', '..');
export const kBin = path.resolve(kRepo, process.env.BEIAN_BIN ?? 'build/beian');
export const kWebDir = path.resolve(kRepo, process.env.BEIAN_WEB_DIR ?? 'web/dist');
export const kBackend = process.env.BEIAN_IT_BACKEND ?? 'sqlite';
export const kDemoPassword = 'demo-password-1';
export const kDemo = {
  applicant: 'applicant@demo.beian.test',
  reviewer: 'reviewer@demo.beian.test',
  admin: 'admin@demo.beian.test',
  authority: 'authority@demo.beian.test',
};
const kBootTimeoutMs = 30_000;
const kStopTimeoutMs = 15_000;

if (kBackend !== 'sqlite' && kBackend !== 'postgres') {
  throw new Error(`BEIAN_IT_BACKEND must be sqlite or postgres, not ${kBackend}`);
}
if (!fs.existsSync(kBin)) throw new Error(`${kBin} not found: ninja -C build beian`);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// A unique e-mail (per run and call) for tests sharing one server.
export function uniqueEmail(tag) {
  return `it-${tag}-${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}@example.com`;
}

// A mainland mobile number.
export function uniqueMobile() {
  return `139${String(crypto.randomInt(1e8)).padStart(8, '0')}`;
}

export function account(tag, extra = {}) {
  return {
    email: uniqueEmail(tag),
    phone: uniqueMobile(),
    password: 'correct-horse-battery',
    display_name: `IT ${tag}`,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Databases

function pgUrl() {
  const url = process.env.BEIAN_TEST_POSTGRES_URL;
  if (!url) throw new Error('BEIAN_IT_BACKEND=postgres needs BEIAN_TEST_POSTGRES_URL');
  return url;
}

function psql(sql) {
  execFileSync('psql', [pgUrl(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// A fresh pair of databases: {args (for serve/migrate/admin), dataDir, describe, drop()}.
export function makeDatabases() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-it-'));
  if (kBackend === 'sqlite') {
    return {
      dataDir,
      args: ['--data-dir', dataDir],
      drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const stamp = `${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  const agent = `beian_it_agent_${stamp}`;
  const authority = `beian_it_auth_${stamp}`;
  psql(`CREATE DATABASE ${agent}`);
  psql(`CREATE DATABASE ${authority}`);
  return {
    dataDir,
    args: [
      '--data-dir', dataDir,
      '--database', withDatabase(pgUrl(), agent),
      '--authority-database', withDatabase(pgUrl(), authority),
    ],
    drop() {
      psql(`DROP DATABASE IF EXISTS ${agent} WITH (FORCE)`);
      psql(`DROP DATABASE IF EXISTS ${authority} WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Processes

// Runs `beian <args>` to completion: {code, signal, stdout, stderr}.
export function runBeian(args, { input, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(kBin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.write(input);
    child.stdin.end();
  });
}

function waitExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ code: null, signal: 'timeout' }), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function readyOrExit(url, child, output) {
  const deadline = Date.now() + kBootTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`beian serve exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url}/readyz not 200 after ${kBootTimeoutMs} ms:\n${output()}`);
}

// Starts `beian serve`. Options: migrate (default true), demo (default true), extraArgs,
// db (reuse databases from makeDatabases(); the caller then drops them).
// Returns a Server: {agentUrl, authorityUrl, agentPort, authorityPort, db, child, output(),
// alive(), stop({signal}) → {code, signal}, spawn-level helpers}.
// One `beian serve --service SERVICE` process on a free port, naming only its own database of
// `db` (makeDatabases). Resolves once /healthz answers (listening, not necessarily ready) with
// {url, port, child, exited, output(), spawned, listening} (the two times in ms since the epoch);
// rejects with the process's output if it exits first or does not listen within 30 s. `keep`:
// how many characters of stdout+stderr output() holds.
export async function serveService(service, db, extraArgs = [], { keep = 400_000 } = {}) {
  const port = await freePort();
  const unwanted = service === 'agent' ? '--authority-database' : '--database';
  const own = db.args.filter((a, i, all) => a !== unwanted && all[i - 1] !== unwanted);
  const args = ['serve', '--service', service, ...own, `--${service}-listen`, `127.0.0.1:${port}`,
    '--web-dir', kWebDir, '--no-demo', ...extraArgs];
  const spawned = Date.now();
  const child = spawn(kBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out = (out + d).slice(-keep)));
  child.stderr.on('data', (d) => (out = (out + d).slice(-keep)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${service} exited ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`${service} not listening:\n${out}`);
    await sleep(10);
  }
  return { url, port, child, exited, output: () => out, spawned, listening: Date.now() };
}

export async function startServer({ migrate = true, demo = true, extraArgs = [], db } = {}) {
  const ownDb = !db;
  const databases = db ?? makeDatabases();
  const agentPort = await freePort();
  let authorityPort = await freePort();
  while (authorityPort === agentPort) authorityPort = await freePort();
  const args = [
    'serve',
    ...databases.args,
    '--agent-listen', `127.0.0.1:${agentPort}`,
    '--authority-listen', `127.0.0.1:${authorityPort}`,
    '--web-dir', kWebDir,
    '--log-level', 'warn',
    ...(migrate ? ['--migrate'] : []),
    ...(demo ? [] : ['--no-demo']),
    ...extraArgs,
  ];
  const child = spawn(kBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const cap = (s) => (s.length > 200_000 ? s.slice(-100_000) : s);
  child.stdout.on('data', (d) => (stdout = cap(stdout + d)));
  child.stderr.on('data', (d) => (stderr = cap(stderr + d)));
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr.slice(-8000)}`;
  const server = {
    agentPort,
    authorityPort,
    agentUrl: `http://127.0.0.1:${agentPort}`,
    authorityUrl: `http://127.0.0.1:${authorityPort}`,
    db: databases,
    child,
    args,
    output,
    stdout: () => stdout,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    stopped: false,
    // Sends `signal` and waits for the exit; asserts exit code 0 unless expectCode is given.
    async stop({ signal = 'SIGTERM', expectCode = 0 } = {}) {
      if (server.stopped) return server.exitStatus;
      server.stopped = true;
      try {
        if (server.alive()) child.kill(signal);
        const status = await waitExit(child, kStopTimeoutMs);
        server.exitStatus = status;
        if (status.signal === 'timeout') child.kill('SIGKILL');
        if (expectCode !== null) {
          assert.deepEqual(status, { code: expectCode, signal: null },
            `beian serve did not exit cleanly on ${signal}:\n${output()}`);
        }
        return status;
      } finally {
        if (ownDb) databases.drop();
      }
    },
  };
  try {
    await readyOrExit(server.agentUrl, child, output);
    await readyOrExit(server.authorityUrl, child, output);
  } catch (e) {
    if (server.alive()) child.kill('SIGKILL');
    await waitExit(child, kStopTimeoutMs);
    server.stopped = true;
    if (ownDb) databases.drop();
    throw e;
  }
  return server;
}

// Asserts that the server process still runs and answers /healthz on both services.
export async function assertAlive(server) {
  assert.ok(server.alive(), `beian serve died:\n${server.output()}`);
  for (const url of [server.agentUrl, server.authorityUrl]) {
    const res = await fetch(`${url}/healthz`);
    assert.equal(res.status, 200, `${url}/healthz`);
    assert.deepEqual(await res.json(), { status: 'ok' });
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

// A browser-like API client: keeps the cookies the server sets and the last CSRF token.
export class Client {
  constructor(baseUrl, prefix = '/api/v1') {
    this.baseUrl = baseUrl;
    this.prefix = prefix;
    this.cookies = new Map();
    this.csrf = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // path is relative to the prefix unless it starts with '//' (then from the root, minus one /).
  async request(method, p, { json, body, headers = {}, csrf = true } = {}) {
    const url = p.startsWith('//') ? `${this.baseUrl}${p.slice(1)}` : `${this.baseUrl}${this.prefix}${p}`;
    const h = { ...headers };
    if (json !== undefined) {
      h['Content-Type'] ??= 'application/json';
      body = JSON.stringify(json);
    }
    if (this.cookies.size > 0) h.Cookie = this.cookieHeader();
    if (csrf && this.csrf && !['GET', 'HEAD'].includes(method)) h['X-CSRF-Token'] ??= this.csrf;
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
      if (value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let data = null;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) data = JSON.parse(text);
    if (data && typeof data.csrf_token === 'string') this.csrf = data.csrf_token;
    return { status: res.status, headers: res.headers, setCookies, text, data };
  }

  get(p, o) {
    return this.request('GET', p, o);
  }

  post(p, json, o = {}) {
    return this.request('POST', p, { ...o, json });
  }

  // Registers (202 whether or not the address has an account), signs in, and confirms the
  // e-mail address and mobile from the development mailbox, read by `mailbox` (a client allowed
  // to read it: anyone in demo mode). `confirm`: true (must), false (never), 'auto' (default:
  // when `mailbox` may read the mailbox; outside demo mode the account stays unconfirmed, and a
  // submit is refused with account_unconfirmed). Returns the sign-in's response (the user, the
  // CSRF token).
  async register(acct, { confirm = 'auto', mailbox = this } = {}) {
    const r = await this.post('/auth/register', acct);
    assert.equal(r.status, 202, `register ${acct.email}: ${r.text}`);
    const signedIn = await this.login(acct.email, acct.password);
    let wanted = confirm === true;
    if (confirm === 'auto') wanted = (await mailbox.get('/admin/mailbox?limit=1')).status === 200;
    if (wanted) {
      await this.confirmAccount(signedIn.data.user, mailbox);
      // The user as it is now (confirmed); the sign-in's answer otherwise.
      const me = await this.get('/me');
      assert.equal(me.status, 200, me.text);
      signedIn.data.user = me.data.user;
    }
    return signedIn;
  }

  // Confirms the signed-in `user` (from /me or a sign-in) with the link and code in the mailbox.
  async confirmAccount(user, mailbox = this) {
    const email = await waitForMailboxMessage(mailbox, (m) => m.template === 'account_confirm_email' && m.to === user.email);
    const token = /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(email.text)?.[1];
    assert.ok(token, `no link in ${email.text}`);
    const ce = await this.post('/auth/confirm-email', { token });
    assert.equal(ce.status, 204, `confirm-email: ${ce.text}`);
    const masked = maskMobile(user.phone);
    const sms = await waitForMailboxMessage(mailbox, (m) => m.template === 'account_confirm_mobile' && m.to === masked);
    const code = /(\d{6})/.exec(sms.text)?.[1];
    assert.ok(code, `no code in ${sms.text}`);
    const cm = await this.post('/auth/confirm-mobile', { code });
    assert.equal(cm.status, 204, `confirm-mobile: ${cm.text}`);
  }

  async login(email, password) {
    const r = await this.post('/auth/login', { email, password });
    assert.equal(r.status, 200, `login ${email}: ${r.text}`);
    return r;
  }
}

// Creates an applicant (confirmed, as every account made by `beian admin create-user`) in `db`
// (makeDatabases or server.db) without a message in the outbox.
export async function createUser(db, acct, role = 'applicant') {
  const r = await runBeian(['admin', 'create-user', ...db.args, '--email', acct.email, '--role', role,
    '--display-name', acct.display_name, '--phone', acct.phone, '--locale', acct.locale ?? 'zh-CN',
    '--password-stdin'], { input: `${acct.password}\n` });
  assert.equal(r.code, 0, `create-user ${acct.email}: ${r.stdout}${r.stderr}`);
}

// The mobile number as the mailbox shows it (core::MaskMobile: the first 3 and last 4 digits).
export function maskMobile(phone) {
  let d = String(phone).replace(/[^0-9０-９]/g, '').replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10));
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return `${d.slice(0, 3)}****${d.slice(-4)}`;
}

// The newest mailbox message that `match` accepts, waiting up to `timeoutMs` for the workers.
export async function waitForMailboxMessage(client, match, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.get('/admin/mailbox?limit=100');
    assert.equal(r.status, 200, `mailbox: ${r.text}`);
    const found = r.data.items.find(match);
    if (found) return found;
    if (Date.now() > deadline) assert.fail('no such message in the mailbox');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Asserts the error format of DESIGN §6 and returns the error object.
export function assertError(r, status, code, context = '') {
  assert.equal(r.status, status, `${context} status; body: ${r.text}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/, `${context} content type`);
  assert.ok(r.data && typeof r.data.error === 'object', `${context} error body: ${r.text}`);
  const e = r.data.error;
  assert.equal(e.code, code, `${context} error code; body: ${r.text}`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0, 'error message is empty');
  assert.ok(Array.isArray(e.details), 'details is an array');
  for (const d of e.details) {
    assert.deepEqual(Object.keys(d).sort(), ['code', 'field', 'message'], JSON.stringify(d));
  }
  assert.ok(r.headers.get('x-request-id'), `${context} X-Request-Id`);
  return e;
}

// Reads HTTP/1.1 responses from a raw socket. next() resolves with {status, headers (lowercase
// names), body} for each complete response; closed() resolves when the peer closes.
export class RawConnection {
  constructor(port) {
    this.port = port;
    this.buffer = Buffer.alloc(0);
    this.waiters = [];
    this.ended = false;
    this.error = null;
  }

  open() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect(this.port, '127.0.0.1', () => resolve(this));
      this.socket.once('error', (e) => {
        this.error = e;
        reject(e);
      });
      this.socket.on('data', (d) => {
        this.buffer = Buffer.concat([this.buffer, d]);
        this.pump();
      });
      this.socket.on('close', () => {
        this.ended = true;
        this.pump();
      });
    });
  }

  write(data) {
    return new Promise((resolve, reject) =>
      this.socket.write(data, (e) => (e ? reject(e) : resolve())));
  }

  parseOne() {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
    if (!m) throw new Error(`bad status line: ${head[0]}`);
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const status = Number(m[1]);
    let bodyLen = 0;
    if (headers['transfer-encoding']) throw new Error('chunked responses are not parsed here');
    if (headers['content-length'] !== undefined) bodyLen = Number(headers['content-length']);
    if (this.headOnly) bodyLen = 0;
    if (this.buffer.length < end + 4 + bodyLen) return null;
    const body = this.buffer.subarray(end + 4, end + 4 + bodyLen).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + bodyLen);
    return { status, headers, body };
  }

  pump() {
    while (this.waiters.length > 0) {
      const w = this.waiters[0];
      if (w.kind === 'response') {
        let r = null;
        try {
          r = this.parseOne();
        } catch (e) {
          this.waiters.shift();
          w.reject(e);
          continue;
        }
        if (r) {
          this.waiters.shift();
          w.resolve(r);
          continue;
        }
        if (this.ended) {
          this.waiters.shift();
          w.reject(new Error(`connection closed before a full response (${this.buffer.length} bytes buffered)`));
          continue;
        }
        return;
      }
      if (w.kind === 'close' && this.ended) {
        this.waiters.shift();
        w.resolve(this.buffer.toString('latin1'));
        continue;
      }
      return;
    }
  }

  next(timeoutMs = 10_000) {
    return this.wait('response', timeoutMs);
  }

  closed(timeoutMs = 10_000) {
    return this.wait('close', timeoutMs);
  }

  wait(kind, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${kind}`));
      }, timeoutMs);
      const waiter = {
        kind,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
      this.pump();
    });
  }

  destroy() {
    this.socket?.destroy();
  }
}

// Builds a raw HTTP/1.1 request.
export function rawRequest(method, target, { port, headers = {}, body = '' } = {}) {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== '' || ['POST', 'PUT', 'PATCH'].includes(method)) {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
