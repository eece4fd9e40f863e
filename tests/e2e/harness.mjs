// Shared set-up for the browser tests: the servers under test, a headless Chromium from the
// system (no browser download), fresh pages, screenshots, and antd form helpers.
//
// Servers: BEIAN_E2E_AGENT_URL / BEIAN_E2E_AUTHORITY_URL when the caller already runs them;
// otherwise `beian serve` (BEIAN_BIN, default build/beian) is started on free ports with a
// throwaway data dir, demo accounts and the built UI (BEIAN_WEB_DIR, default web/dist).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Client } from '../integration/lib/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const kRepo = path.resolve(here, '..', '..');
export const kDemoPassword = 'demo-password-1';
const kChromium = process.env.BEIAN_E2E_CHROMIUM ?? '/usr/bin/chromium';
const kBootTimeoutMs = 30_000;

function freePort() {
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitReady(url, child, log) {
  const deadline = Date.now() + kBootTimeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`beian serve exited with ${child.exitCode}:\n${log.join('')}`);
    }
    try {
      const res = await fetch(`${url}/app-config.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} not ready after ${kBootTimeoutMs} ms:\n${log.join('')}`);
}

// Returns {agentUrl, authorityUrl, stop(), dataDir (the started server's --data-dir, for `beian
// admin` commands; absent with BEIAN_E2E_*_URL)}.
export async function startServers() {
  const agentEnv = process.env.BEIAN_E2E_AGENT_URL;
  const authorityEnv = process.env.BEIAN_E2E_AUTHORITY_URL;
  if (agentEnv && authorityEnv) {
    const urls = { agentUrl: agentEnv.replace(/\/$/, ''), authorityUrl: authorityEnv.replace(/\/$/, '') };
    await waitReady(urls.agentUrl, null, []);
    await waitReady(urls.authorityUrl, null, []);
    return { ...urls, stop: async () => {} };
  }
  const bin = process.env.BEIAN_BIN ?? path.join(kRepo, 'build', 'beian');
  const webDir = process.env.BEIAN_WEB_DIR ?? path.join(kRepo, 'web', 'dist');
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found: build the server first`);
  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    throw new Error(`${webDir}/index.html not found: run npm run build in web/`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-e2e-data-'));
  const [agentPort, authorityPort] = [await freePort(), await freePort()];
  const args = [
    'serve',
    '--data-dir', dataDir,
    '--agent-listen', `127.0.0.1:${agentPort}`,
    '--authority-listen', `127.0.0.1:${authorityPort}`,
    '--web-dir', webDir,
    '--migrate',
  ];
  const log = [];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 400) log.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const urls = {
    agentUrl: `http://127.0.0.1:${agentPort}`,
    authorityUrl: `http://127.0.0.1:${authorityPort}`,
  };
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(urls.agentUrl, child, log);
    await waitReady(urls.authorityUrl, child, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...urls, stop, log, dataDir };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: kChromium,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

// A page in a fresh context (own cookies and localStorage). Page errors are collected so that
// a test can assert the app ran without uncaught exceptions or CSP violations. The browser
// asks for zh-CN unless `locale` says otherwise (a first visit follows it); `viewport` sets
// the window size (default 1280×800).
export async function newPage(browser, { locale = 'zh-CN', viewport } = {}) {
  const context = await browser.newContext({
    viewport: viewport ?? { width: 1280, height: 800 },
    locale,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.pageErrors = [];
  page.on('pageerror', (e) => page.pageErrors.push(e));
  // The server's Content-Security-Policy must not block anything the app does (antd injects
  // styles at run time, for one).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      page.pageErrors.push(new Error(msg.text()));
    }
  });
  return page;
}

const shotDir =
  process.env.BEIAN_E2E_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'beian-e2e-shots-'));
fs.mkdirSync(shotDir, { recursive: true });
export const kScreenshotDir = shotDir;

export async function screenshot(page, name) {
  const file = path.join(shotDir, `${name}.png`);
  // Let antd's enter animations (error messages, menus) finish so the picture shows the result.
  await page.waitForTimeout(400);
  // A full-page capture of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// A per-run unique e-mail address.
export function uniqueEmail(tag) {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return `e2e-${tag}-${stamp}@example.com`;
}

// A mainland mobile number, different per call.
export function uniqueMobile() {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

// Registers an account straight through the API (for tests that need one to exist already) and
// confirms its e-mail address and mobile with the link and code from the development mailbox
// (demo mode: anyone signed in may read it), as a new user would (issue 9 item 8).
export async function registerViaApi(baseUrl, account) {
  const c = new Client(baseUrl, '/api/v1');
  await c.register(account);
}
// Fails logins for `email` from this address until the server slows it down for at least
// `minWait` seconds (429 too_many_requests; accounts are never locked: the delay doubles with each
// failure, so earlier delays are waited out). Returns the Retry-After.
export async function slowDownLogin(baseUrl, email, minWait = 20, maxAttempts = 40) {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: baseUrl },
      body: JSON.stringify({ email, password: 'not-the-password-1' }),
    });
    const body = await res.json();
    if (body.error?.code === 'too_many_requests') {
      const wait = Number(res.headers.get('Retry-After') ?? '1');
      if (wait >= minWait) return wait;
      await sleep(wait * 1000 + 100);
    } else {
      assert.equal(body.error?.code, 'invalid_credentials', JSON.stringify(body));
    }
  }
  throw new Error(`${email} not slowed down after ${maxAttempts} attempts`);
}

// The antd Form.Item that holds the input labelled exactly `label`.
export function formItem(page, label) {
  return page.locator('.ant-form-item', { has: page.getByLabel(label, { exact: true }) });
}

// Waits until the field labelled `label` shows exactly the error `text` (and no other), then
// returns; fails with what was shown. antd animates a replaced message out, so for a moment the
// old and the new text can both be there.
export async function expectFieldError(page, label, text, timeoutMs = 10_000) {
  const explain = formItem(page, label).locator('.ant-form-item-explain-error');
  const deadline = Date.now() + timeoutMs;
  let shown = [];
  while (Date.now() < deadline) {
    shown = (await explain.allTextContents()).map((t) => t.trim());
    if (shown.length === 1 && shown[0] === text) return;
    await sleep(100);
  }
  assert.deepEqual(shown, [text], `error shown for field "${label}"`);
}

export const kLabels = {
  zh: {
    email: '邮箱',
    phone: '手机号码',
    name: '姓名 / 昵称',
    password: '密码',
    confirm: '确认密码',
  },
  en: {
    email: 'E-mail',
    phone: 'Mobile number',
    name: 'Display name',
    password: 'Password',
    confirm: 'Confirm password',
  },
};

export async function fillRegister(page, lang, v) {
  const L = kLabels[lang];
  await page.getByLabel(L.email, { exact: true }).fill(v.email);
  await page.getByLabel(L.phone, { exact: true }).fill(v.phone);
  await page.getByLabel(L.name, { exact: true }).fill(v.name);
  await page.getByLabel(L.password, { exact: true }).fill(v.password);
  await page.getByLabel(L.confirm, { exact: true }).fill(v.confirm ?? v.password);
}

export async function fillLogin(page, lang, email, password) {
  const L = kLabels[lang];
  await page.getByLabel(L.email, { exact: true }).fill(email);
  await page.getByLabel(L.password, { exact: true }).fill(password);
}

// Picks `lang` from the header's language menu and waits until the page speaks it. On a loaded
// machine a click can reach the menu while it is still animating open and be lost; the menu
// is then opened again (at most three times).
export async function switchLanguage(page, lang) {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId(`lang-option-${lang}`).click();
    try {
      await page.waitForFunction((l) => document.documentElement.lang === l, lang, {
        timeout: 5_000,
      });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

export async function logout(page) {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-page').waitFor();
}
