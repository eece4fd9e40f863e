// The applicant's names for review reasons are the reviewers' catalogue (data/review/reasons.tsv,
// which only reviewers can read through the API) and the reasons that come back from the authority
// (its hand-over and SMS refusals, data/review/authority_reasons.tsv, and its reviewer's catalogue,
// data/authority/reasons.tsv, where the provider's catalogue does not name the code first, as the
// agent's notices do): the same codes and texts in both languages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhCN from '../../i18n/locales/applications.zh-CN';
import en from '../../i18n/locales/applications.en';
import { createI18n } from '../../i18n';
import { flagLabel, reasonText, subjectLabel } from './labels';

const kData = path.resolve(__dirname, '..', '..', '..', '..', 'data');

function rowsOf(file: string): string[][] {
  return fs
    .readFileSync(path.join(kData, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split('\t'));
}

function catalogue(): Array<{ code: string; zh: string; en: string }> {
  const review = rowsOf('review/reasons.tsv').map(([code, , , zh, english]) => ({ code, zh, en: english }));
  const handover = rowsOf('review/authority_reasons.tsv').map(([code, zh, english]) => ({ code, zh, en: english }));
  const reviewer = rowsOf('authority/reasons.tsv').map(([code, zh, english]) => ({ code, zh, en: english }));
  const named = new Set([...review, ...handover].map((r) => r.code));
  return [...review, ...handover, ...reviewer.filter((r) => !named.has(r.code))];
}

describe('review reasons', () => {
  it('are named as the catalogue names them', () => {
    const rows = catalogue();
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(Object.keys(zhCN.apps.reason).sort()).toEqual(rows.map((r) => r.code).sort());
    for (const r of rows) {
      expect((zhCN.apps.reason as Record<string, string>)[r.code], r.code).toBe(r.zh);
      expect((en.apps.reason as Record<string, string>)[r.code], r.code).toBe(r.en);
    }
  });

  it('name every code the authority reviewer may return', () => {
    // data/authority/reasons.tsv: code, zh-CN, en, note_required (the authority's catalogue).
    const file = path.join(kData, 'authority', 'reasons.tsv');
    if (!fs.existsSync(file)) return;
    for (const [code] of rowsOf('authority/reasons.tsv')) {
      expect((zhCN.apps.reason as Record<string, string>)[code], code).toBeTruthy();
      expect((en.apps.reason as Record<string, string>)[code], code).toBeTruthy();
    }
  });

  it('read with the reviewer note, and name their field, document or photo', () => {
    const i18n = createI18n('zh-CN');
    expect(reasonText(i18n.t, { code: 'other', message: '请补充' })).toBe('其他（见审核意见） — 请补充');
    expect(reasonText(i18n.t, { code: 'new_code', message: '' })).toBe('new_code');
    expect(flagLabel(i18n.t, 'documents.id_back:websites[0].person_in_charge')).toBe('证件反面（网站 1 负责人）');
    expect(flagLabel(i18n.t, 'photo')).toBe('核验照片');
    expect(flagLabel(i18n.t, 'organizer.address')).toBe('通信地址');
    expect(subjectLabel(i18n.t, 'websites[1]')).toBe('网站 2');
    const english = createI18n('en');
    expect(flagLabel(english.t, 'documents.id_front:organizer.person_in_charge')).toBe(
      "Identity document (front) (Organizer's person in charge)",
    );
  });
});
