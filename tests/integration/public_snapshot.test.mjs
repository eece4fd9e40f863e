// The public look-up's snapshot over HTTP (issue 11 items 3–4): a filing approved at the
// authority (`beian admin registry-add`) shows in the agent's answer within 5 s while the agent
// serves from its memory-mapped snapshot (the overlay, not a query per request: /metrics says
// serving); a restart serves from the existing snapshot and its journal without rebuilding; a
// snapshot file damaged while the agent was down (a flipped byte, a truncated file) is detected
// and rebuilt — every answer meanwhile is the right one; the rate limit per client address
// (429 too_many_requests with Retry-After, trusted blocks exempt).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { uscc } from './lib/filing.mjs';
import { assertError, makeDatabases, runBeian, sleep, startServer } from './lib/server.mjs';

const tag = crypto.randomBytes(3).toString('hex');
const domain = `snap-${tag}.com.cn`;
const idn = `快照${tag}.中国`;
let db;
let server;

before(() => {
  db = makeDatabases();
});

after(async () => {
  await server?.stop();
  db?.drop();
});

async function start(extraArgs = []) {
  server = await startServer({ demo: false, db, extraArgs: ['--registry-sync-interval', '0.5', ...extraArgs] });
}

async function metrics() {
  const text = await (await fetch(`${server.agentUrl}/metrics`)).text();
  const get = (name) => {
    const m = new RegExp(`^${name}\\{service="agent"\\} (\\S+)`, 'm').exec(text);
    return m ? Number(m[1]) : NaN;
  };
  return {
    serving: get('beian_public_snapshot_serving'),
    overlay: get('beian_public_snapshot_overlay_entries'),
    rebuilds: get('beian_public_snapshot_rebuilds'),
    damaged: get('beian_public_snapshot_damaged'),
    entries: get('beian_public_snapshot_entries'),
  };
}

async function get(name) {
  const res = await fetch(`${server.agentUrl}/api/v1/public/filings?domain=${encodeURIComponent(name)}`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: text ? JSON.parse(text) : null };
}

async function until(what, fn, limitMs = 10_000) {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return Date.now() - start;
    if (Date.now() - start > limitMs) assert.fail(`${what}: not after ${limitMs} ms`);
    await sleep(50);
  }
}

let websiteSn;

describe('public look-up snapshot', () => {
  test('an approval at the authority shows within 5 s, answered from the snapshot', async () => {
    await start();
    await until('serving from a snapshot', async () => (await metrics()).serving === 1);
    assert.equal((await get(domain)).data.filed, false);
    const file = path.join(db.dataDir, `filing-${tag}.json`);
    fs.writeFileSync(file, JSON.stringify({
      province: '31',
      organizer: { type: 'enterprise', name: '上海快照科技有限公司',
        certificate: { type: 'business_license', number: uscc() } },
      websites: [{ name: '快照网', domains: [domain, idn] }],
    }));
    const added = Date.now();
    const r = await runBeian(['admin', 'registry-add', ...db.args, '--provider', 'local', file]);
    assert.equal(r.code, 0, r.stderr);
    await until('filed', async () => (await get(`www.${domain}`)).data.filed, 5000);
    assert.ok(Date.now() - added < 5000 + 2000, 'within 5 s of the approval (plus the CLI)');
    const answer = (await get(domain)).data;
    assert.match(answer.website_sn, /^沪ICP备\d{10}号-1$/);
    websiteSn = answer.website_sn;
    const m = await metrics();
    assert.equal(m.serving, 1, 'answered from the snapshot, not the copy');
    assert.ok(m.overlay >= 1, `the change is in the overlay: ${JSON.stringify(m)}`);
    // The IDN, asked in Unicode and in punycode, gives one answer with its Unicode form.
    const punycode = new URL(`http://${idn}/`).hostname;
    for (const form of [idn, `www.${idn}`, punycode, punycode.toUpperCase()]) {
      const a = (await get(form)).data;
      assert.equal(a.filed, true, form);
      assert.equal(a.domain, punycode, form);
      assert.equal(a.domain_unicode, idn, form);
      assert.equal(a.website_sn, websiteSn, form);
    }
  });

  test('a restart serves from the existing snapshot and journal, without a rebuild', async () => {
    await server.stop();
    const started = Date.now();
    await start();
    const ready = Date.now() - started;
    const m = await metrics();
    assert.equal(m.serving, 1);
    assert.equal(m.rebuilds, 0, 'no rebuild: the file and its journal were served as they were');
    assert.equal((await get(domain)).data.website_sn, websiteSn);
    assert.ok(ready < 10_000, `ready in ${ready} ms`);
  });

  test('a damaged snapshot file is detected and rebuilt, never served', async () => {
    // The overlay folded into a fresh file first, so that the file itself holds the filing.
    await server.stop();
    const file = path.join(db.dataDir, 'public-snapshot', 'snapshot.bin');
    const journal = path.join(db.dataDir, 'public-snapshot', 'overlay.journal');
    for (const damage of ['flip', 'truncate']) {
      const size = fs.statSync(file).size;
      if (damage === 'flip') {
        // Every byte of the records region past the slot table: the answers live there.
        const fd = fs.openSync(file, 'r+');
        const buf = Buffer.alloc(64);
        fs.readSync(fd, buf, 0, 64, size - 200);
        for (let i = 0; i < 64; ++i) buf[i] ^= 0x5a;
        fs.writeSync(fd, buf, 0, 64, size - 200);
        fs.closeSync(fd);
      } else {
        fs.truncateSync(file, size - 100);
      }
      await start();
      // Every answer meanwhile is the right one (from the copy until the rebuild).
      for (let i = 0; i < 20; ++i) {
        const a = await get(domain);
        assert.equal(a.status, 200, a.text);
        assert.equal(a.data.website_sn, websiteSn, `${damage}: ${a.text}`);
      }
      await until(`${damage}: detected and rebuilt`, async () => {
        const m = await metrics();
        return m.damaged >= 1 && m.rebuilds >= 1 && m.serving === 1;
      });
      assert.equal((await get(domain)).data.website_sn, websiteSn);
      assert.ok(fs.existsSync(journal));
      await server.stop();
    }
    await start();
    assert.equal((await metrics()).damaged, 0, 'the rebuilt file opens clean');
  });

  test('the rate limit per client address: 429 with Retry-After; trusted blocks exempt', async () => {
    await server.stop();
    await start(['--public-rate-limit', '5']);
    // 30 at once from 127.0.0.1: the burst of 5 (and what refills meanwhile) passes.
    const answers = await Promise.all(Array.from({ length: 30 }, () => get(domain)));
    const ok = answers.filter((a) => a.status === 200).length;
    const limited = answers.filter((a) => a.status === 429);
    assert.ok(ok >= 5 && ok <= 10, `${ok} answered`);
    assert.equal(ok + limited.length, 30, answers.map((a) => a.status).join(','));
    assertError(limited[0], 429, 'too_many_requests');
    assert.equal(limited[0].headers.get('retry-after'), '1');
    await sleep(1100);
    assert.equal((await get(domain)).status, 200, 'a second later: tokens again');
    await server.stop();
    await start(['--public-rate-limit', '5', '--public-rate-trusted', '127.0.0.0/8,::1/128']);
    for (let i = 0; i < 30; ++i) assert.equal((await get(domain)).status, 200);
  });
});
