// The provider console's "Is it filed?" page in headless Chromium against the real server, in
// both languages, without signing in: a filing put into the authority's registry with `beian
// admin registry-add` reaches the agent's copy through the change feed and is found by a www.
// form and by its Chinese IDN; a domain nobody filed says so; a malformed one is refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kRepo, launchBrowser, newPage, screenshot, startServers } from './harness.mjs';

let servers;
let browser;
const stamp = `${process.pid}${Date.now() % 100000}`;
let sn = '';

before(async () => {
  servers = await startServers();
  browser = await launchBrowser();
  if (!servers.dataDir) return;
  const file = path.join(servers.dataDir, 'filing-filed-check.json');
  fs.writeFileSync(file, JSON.stringify({
    province: '44',
    organizer: { type: 'enterprise', name: `深圳市备案查询${stamp}科技有限公司`,
      certificate: { type: 'business_license', number: `9144${stamp.padStart(14, '0')}` } },
    websites: [{ name: '备案查询示例网', domains: [`filed-${stamp}.cn`, `查询${stamp}.中国`] }],
  }));
  const bin = process.env.BEIAN_BIN ?? path.join(kRepo, 'build', 'beian');
  const out = execFileSync(bin, ['admin', 'registry-add', '--data-dir', servers.dataDir,
    '--provider', 'local', file], { encoding: 'utf8' });
  sn = /website SN (\S+)/.exec(out)[1];
});

after(async () => {
  await browser?.close();
  await servers?.stop();
});

// Asks until the answer box holds `text` (the agent's copy follows the feed every 2 s).
async function askUntil(page, placeholder, domain, button, text) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await page.getByPlaceholder(placeholder).fill(domain);
    await page.getByRole('button', { name: button }).click();
    const box = page.getByTestId('filed-answer');
    await box.waitFor();
    if (await box.getByText(text).count() > 0) return box;
    assert.ok(Date.now() < deadline, `${domain}: no "${text}" within 10 s`);
    await page.waitForTimeout(300);
  }
}

describe('is it filed?', { skip: process.env.BEIAN_E2E_AGENT_URL && 'needs a local server' }, () => {
  it('finds a filing by its www. form, says not filed, refuses nonsense (zh-CN)', async () => {
    const page = await newPage(browser, { locale: 'zh-CN' });
    await page.goto(`${servers.agentUrl}/filed`);
    await page.getByText('域名备案查询').waitFor();
    const box = await askUntil(page, '例如 www.example.com.cn', `www.filed-${stamp}.cn`, /查\s*询/, sn);
    await box.getByText(`filed-${stamp}.cn 已备案`).waitFor();
    await box.getByText('企业').waitFor();
    await screenshot(page, 'filed-check-zh');
    await askUntil(page, '例如 www.example.com.cn', `nobody-${stamp}.cn`, /查\s*询/, '未查询到备案信息');
    await page.getByPlaceholder('例如 www.example.com.cn').fill('not a domain');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByTestId('filed-error').getByText('这不是有效的域名，请检查后重试').waitFor();
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  it('finds the same filing by its Chinese domain (en)', async () => {
    const page = await newPage(browser, { locale: 'en' });
    await page.goto(`${servers.agentUrl}/filed`);
    await page.getByText('Is this domain filed?').waitFor();
    const box = await askUntil(page, 'e.g. www.example.com.cn', `www.查询${stamp}.中国`, /Check/, sn);
    await box.getByText(`查询${stamp}.中国 is filed`).waitFor();
    await box.getByText('Enterprise').waitFor();
    await screenshot(page, 'filed-check-en');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
