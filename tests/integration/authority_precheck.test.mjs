// The agent's precheck against the authority's registry (issue 10 items 1, 2): `beian serve`
// with both services registers its agent as provider "local" (key in <data-dir>/provider.key,
// kept across restarts) with no flag; the filing type is judged from the authority's look-up
// (first_filing, new_website, new_isp); and an authority that cannot be reached is an
// error-level finding, not a guess.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  Client, account, freePort, makeDatabases, runBeian, startServer,
} from './lib/server.mjs';

const db = makeDatabases();
let server;

before(async () => {
  server = await startServer({ db });
});

after(async () => {
  await server?.stop();
  db.drop();
});

let serial = 0;
function application(number, domain) {
  serial += 1;
  return {
    organizer: {
      type: 'enterprise',
      name: '北京注册表科技有限公司',
      certificate: { type: 'business_license', number },
      province: '11',
      address: '北京市海淀区中关村大街1号',
      person_in_charge: {
        name: '张三', id_type: 'resident_id_card', id_number: '330106199001011234',
        mobile: '13900000001', email: 'zhang@example.com',
      },
    },
    websites: [{
      name: `注册表网站${serial}`, domains: [domain], homepage: `https://www.${domain}`,
      service_content: 'enterprise_portal', languages: ['zh-CN'], instance_id: 'i-1',
    }],
  };
}

const stamp = `${process.pid}${Date.now() % 100000}`;
const number = (i) => `9111${`${stamp}${i}`.padStart(14, '0')}`;

async function applicantPrecheck(app) {
  const c = new Client(server.agentUrl, '/api/v1');
  await c.register(account('registry-judge'));
  const created = await c.post('/applications', app);
  assert.equal(created.status, 201, created.text);
  const r = await c.post(`/applications/${created.data.id}/precheck`, {});
  assert.equal(r.status, 200, r.text);
  return r.data;
}

async function registryAdd(provider, filing) {
  const file = path.join(db.dataDir, `filing-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(filing));
  const r = await runBeian(['admin', 'registry-add', ...db.args, '--provider', provider, file]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function filing(certificateNumber, domain) {
  return {
    province: '11',
    organizer: { type: 'enterprise', name: '北京注册表科技有限公司',
      certificate: { type: 'business_license', number: certificateNumber } },
    websites: [{ name: '已备案网站', domains: [domain] }],
  };
}

describe('the local provider', () => {
  test('is registered with its key under --data-dir (0600), the same after a restart', async () => {
    const file = path.join(db.dataDir, 'provider.key');
    const key = fs.readFileSync(file, 'utf8').trim();
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(fs.statSync(file).mode & 0o077, 0);
    await server.stop();
    server = await startServer({ db });
    assert.equal(fs.readFileSync(file, 'utf8').trim(), key);
  });
});

describe('the filing type from the authority registry', () => {
  test('unknown certificate and domain → first_filing', async () => {
    const r = await applicantPrecheck(application(number(1), `judge${stamp}-1.cn`));
    assert.equal(r.filing_type, 'first_filing');
    assert.equal(r.needs_beian_credentials, false);
  });

  test('a filed subject with a new domain → new_website, asking for SN and ICP password', async () => {
    await registryAdd('local', filing(number(2), `judge${stamp}-2a.cn`));
    const r = await applicantPrecheck(application(number(2), `judge${stamp}-2b.cn`));
    assert.equal(r.filing_type, 'new_website', JSON.stringify(r));
    assert.equal(r.needs_beian_credentials, true);
  });

  test('a domain filed through another provider → new_isp', async () => {
    const added = await runBeian(['admin', 'add-provider', ...db.args, '--id', 'other-cloud',
      '--name', 'Other Cloud', '--callback-url', 'http://127.0.0.1:9/']);
    assert.equal(added.code, 0, added.stderr);
    await registryAdd('other-cloud', filing(number(3), `judge${stamp}-3.cn`));
    const r = await applicantPrecheck(application(number(3), `www.judge${stamp}-3.cn`));
    assert.equal(r.filing_type, 'new_isp', JSON.stringify(r));
    assert.equal(r.needs_beian_credentials, true);
  });
});

describe('an authority that cannot be reached', () => {
  test('is an error-level finding and no filing type', async () => {
    const dead = await freePort();
    const other = makeDatabases();
    // No registry sync: its copy could never catch up, and /readyz would stay 503.
    const s = await startServer({ db: other, extraArgs: ['--authority-url', `http://127.0.0.1:${dead}`,
      '--provider-id', 'local', '--provider-key', 'ab'.repeat(32), '--registry-sync-interval', '0'] });
    try {
      const c = new Client(s.agentUrl, '/api/v1');
      await c.register(account('registry-down'));
      const created = await c.post('/applications', application(number(4), `judge${stamp}-4.cn`));
      const r = await c.post(`/applications/${created.data.id}/precheck`, {});
      assert.equal(r.status, 200, r.text);
      assert.equal(r.data.filing_type, null);
      const f = r.data.findings.find((x) => x.code === 'authority_unreachable');
      assert.ok(f, JSON.stringify(r.data.findings));
      assert.equal(f.severity, 'error');
      assert.match(f.message['zh-CN'], /无法连接管局/);
      const submit = await c.post(`/applications/${created.data.id}/submit`, {});
      assert.equal(submit.status, 422);
      assert.ok(submit.data.error.details.some((d) => d.code === 'authority_unreachable'));
    } finally {
      await s.stop();
      other.drop();
    }
  });

  test('--authority-url without the provider flags is refused at start', async () => {
    const r = await runBeian(['serve', ...db.args, '--authority-url', 'http://127.0.0.1:9',
      '--agent-listen', `127.0.0.1:${await freePort()}`,
      '--authority-listen', `127.0.0.1:${await freePort()}`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--provider-id/);
  });
});
