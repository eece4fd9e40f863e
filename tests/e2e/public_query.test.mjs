// The authority's public filing query in headless Chromium against the real server, in both
// languages, without signing in: filings put into the registry with `beian admin registry-add`
// are found by domain (a www. form), by Beian number and by organizer name prefix; an
// individual's name is masked; a domain nobody filed says so.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kRepo, launchBrowser, newPage, screenshot, startServers } from './harness.mjs';

let servers;
let browser;
const stamp = `${process.pid}${Date.now() % 100000}`;
const sns = {};

function registryAdd(filing) {
  const file = path.join(servers.dataDir, `filing-${Object.keys(sns).length}.json`);
  fs.writeFileSync(file, JSON.stringify(filing));
  const bin = process.env.BEIAN_BIN ?? path.join(kRepo, 'build', 'beian');
  const out = execFileSync(bin, ['admin', 'registry-add', '--data-dir', servers.dataDir,
    '--provider', 'local', file], { encoding: 'utf8' });
  return /website SN (\S+)/.exec(out)[1];
}

before(async () => {
  servers = await startServers();
  browser = await launchBrowser();
  if (!servers.dataDir) return;
  sns.company = registryAdd({
    province: '44',
    organizer: { type: 'enterprise', name: `深圳市公开查询${stamp}科技有限公司`,
      certificate: { type: 'business_license', number: `9144${stamp.padStart(14, '0')}` } },
    websites: [{ name: '公开查询示例网', domains: [`public-${stamp}.cn`] }],
  });
  sns.person = registryAdd({
    province: '11',
    organizer: { type: 'individual', name: '赵公开',
      certificate: { type: 'resident_id_card', number: '110101199003074512' } },
    websites: [{ name: '个人博客', domains: [`person-${stamp}.cn`] }],
  });
});

after(async () => {
  await browser?.close();
  await servers?.stop();
});

async function search(page, placeholder, text, button) {
  const input = page.getByPlaceholder(placeholder);
  await input.fill(text);
  await page.getByRole('button', { name: button }).click();
}

describe('public filing query', { skip: process.env.BEIAN_E2E_AGENT_URL && 'needs a local server' }, () => {
  it('finds filings by domain and Beian number, in Chinese, without signing in', async () => {
    const page = await newPage(browser, { locale: 'zh-CN' });
    await page.goto(`${servers.authorityUrl}/query`);
    await page.getByText('ICP 备案信息查询').waitFor();
    await search(page, '例如 example.com.cn', `www.public-${stamp}.cn`, /查\s*询/);
    await page.getByTestId('query-results').getByText(sns.company).waitFor();
    await screenshot(page, 'public-query-domain-zh');
    await search(page, '例如 example.com.cn', `nobody-${stamp}.cn`, /查\s*询/);
    await page.getByText('未查询到备案信息').waitFor();
    await page.getByText('备案号', { exact: true }).click();
    await search(page, '例如 粤ICP备2026000001号', sns.person, /查\s*询/);
    await page.getByTestId('query-results').getByText('赵**').waitFor();
    assert.equal(await page.getByText('赵公开').count(), 0);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  it('finds an organizer by the start of its name, in English', async () => {
    const page = await newPage(browser, { locale: 'en' });
    await page.goto(`${servers.authorityUrl}/query`);
    await page.getByText('ICP filing query').waitFor();
    await page.getByText('Organizer name', { exact: true }).click();
    await page.getByText('Names starting with this').click();
    await search(page, 'The organizer’s full name', `深圳市公开查询${stamp}`, /Search/);
    const results = page.getByTestId('query-results');
    await results.getByText(sns.company).waitFor();
    await results.getByText('Enterprise').waitFor();
    await screenshot(page, 'public-query-organizer-en');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
