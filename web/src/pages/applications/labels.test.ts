// The applicant's names for review reasons are the reviewers' catalogue (data/review/reasons.tsv,
// which only reviewers can read through the API): the same codes and texts in both languages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhCN from '../../i18n/locales/applications.zh-CN';
import en from '../../i18n/locales/applications.en';
import { createI18n } from '../../i18n';
import { flagLabel, reasonText, subjectLabel } from './labels';

const kCatalogue = path.resolve(__dirname, '..', '..', '..', '..', 'data', 'review', 'reasons.tsv');

function catalogue(): Array<{ code: string; zh: string; en: string }> {
  return fs
    .readFileSync(kCatalogue, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .slice(1)
    .map((l) => {
      const [code, , , zh, english] = l.split('\t');
      return { code, zh, en: english };
    });
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
