// Field paths of an application as the review contract names them ("organizer.name",
// "websites[0].domains[0]", "organizer.person_in_charge.id_number", "documents.id_front:organizer",
// "photo"): the list a reviewer picks a rejection's field from, their names in the console's
// language, and the value at a path. Reasons, flagged fields and changes all use these paths.
import type { TFunction } from 'i18next';
import type { Application, ApplicationDocument } from '../api/applications';

const kPersonKeys = ['name', 'id_type', 'id_number', 'mobile', 'email'] as const;
const kLegalKeys = ['name', 'id_type', 'id_number'] as const;
// Members whose value is a personal number: masked in the reviewer's view, shown on request.
export const kSecretKeys = new Set(['id_number', 'mobile']);

export function isSecretPath(path: string): boolean {
  const last = path.split('.').pop() ?? '';
  return kSecretKeys.has(last) || path === 'organizer.certificate.number';
}

function hasPerson(p: unknown): boolean {
  if (!p || typeof p !== 'object') return false;
  return Object.values(p as Record<string, unknown>).some((v) => typeof v === 'string' && v !== '');
}

// Paths of the organizer's fields, in the order the review screen shows them.
export function organizerPaths(app: Application): string[] {
  const out = [
    'organizer.type',
    'organizer.name',
    'organizer.certificate.type',
    'organizer.certificate.number',
    'organizer.province',
    'organizer.address',
    ...kPersonKeys.map((k) => `organizer.person_in_charge.${k}`),
  ];
  if (hasPerson(app.organizer?.legal_representative)) {
    out.push(...kLegalKeys.map((k) => `organizer.legal_representative.${k}`));
  }
  return out;
}

// Paths of website `i`'s fields (one per domain).
export function websitePaths(app: Application, i: number): string[] {
  const w = app.websites?.[i] ?? {};
  const p = `websites[${i}]`;
  const out = [`${p}.name`, ...(w.domains ?? []).map((_, j) => `${p}.domains[${j}]`)];
  out.push(`${p}.homepage`, `${p}.service_content`, `${p}.languages`, `${p}.pre_approvals`);
  out.push(`${p}.instance_id`);
  if (hasPerson(w.person_in_charge)) out.push(...kPersonKeys.map((k) => `${p}.person_in_charge.${k}`));
  return out;
}

export function documentPathOf(d: Pick<ApplicationDocument, 'kind' | 'subject'>): string {
  return `documents.${d.kind}:${d.subject}`;
}

// Every field a rejection may name: the application's own, then its documents (and, at the
// photo stage, the verified photo).
export function reasonFields(
  app: Application,
  documents: ApplicationDocument[],
  stage: 'preliminary' | 'photo',
): string[] {
  if (stage === 'photo') return ['photo'];
  const out = [...organizerPaths(app)];
  (app.websites ?? []).forEach((_, i) => out.push(...websitePaths(app, i)));
  for (const d of documents) {
    if (d.kind === 'verified_photo') continue;
    const path = documentPathOf(d);
    if (!out.includes(path)) out.push(path);
  }
  return out;
}

// The value at a path of the application JSON ("websites[0].domains[1]").
export function valueAt(app: unknown, path: string): unknown {
  let cur: unknown = app;
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    cur = (cur as Record<string, unknown> | null | undefined)?.[m[1]];
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) {
      cur = Array.isArray(cur) ? cur[Number(idx[1])] : undefined;
    }
  }
  return cur;
}

// The subject a document path or field path belongs to: "organizer", "organizer.person_in_charge",
// "websites[0]" or "websites[0].person_in_charge".
export function subjectLabel(t: TFunction, subject: string): string {
  if (subject === 'organizer') return t('review.field.organizer');
  if (subject === 'organizer.person_in_charge') {
    return `${t('review.field.organizer')} · ${t('review.field.person_in_charge')}`;
  }
  const m = /^websites\[(\d+)\](\.person_in_charge)?$/.exec(subject);
  if (m) {
    const site = t('review.field.website_n', { n: Number(m[1]) + 1 });
    return m[2] ? `${site} · ${t('review.field.person_in_charge')}` : site;
  }
  return subject;
}

// A path's name for people: "主办者 · 负责人 · 证件号码", "网站 1 · 域名 2", "材料：证件正面（主办者 · 负责人）".
export function fieldLabel(t: TFunction, path: string): string {
  if (path === 'photo') return t('review.field.photo');
  const doc = /^documents\.([a-z_]+):(.+)$/.exec(path);
  if (doc) {
    return t('review.field.document', {
      kind: t(`review.enum.doc_kind.${doc[1]}`, { defaultValue: doc[1] }),
      subject: subjectLabel(t, doc[2]),
    });
  }
  const parts: string[] = [];
  for (const part of path.split('.')) {
    const site = /^websites\[(\d+)\]$/.exec(part);
    const domain = /^domains\[(\d+)\]$/.exec(part);
    if (site) parts.push(t('review.field.website_n', { n: Number(site[1]) + 1 }));
    else if (domain) parts.push(t('review.field.domain_n', { n: Number(domain[1]) + 1 }));
    else if (part === 'certificate') continue;
    else parts.push(t(`review.field.${part}`, { defaultValue: part }));
  }
  // "certificate.type" / "certificate.number" read better as one word each.
  if (path.endsWith('certificate.type')) parts[parts.length - 1] = t('review.field.certificate_type');
  if (path.endsWith('certificate.number')) {
    parts[parts.length - 1] = t('review.field.certificate_number');
  }
  return parts.join(' · ');
}

// A field's value for display: enumerations by name, lists joined, absent as a dash.
export function displayValue(t: TFunction, path: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  const last = path.split('.').pop() ?? '';
  const one = (v: unknown): string => {
    const s = String(v);
    if (last === 'province') return t(`review.enum.province.${s}`, { defaultValue: s });
    if (path === 'organizer.type') return t(`review.enum.organizer_type.${s}`, { defaultValue: s });
    if (last === 'type' || last === 'id_type') {
      return t(`review.enum.certificate_type.${s}`, { defaultValue: s });
    }
    if (last === 'service_content') return t(`review.enum.service_content.${s}`, { defaultValue: s });
    if (last === 'pre_approvals') return t(`review.enum.pre_approval.${s}`, { defaultValue: s });
    return s;
  };
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(one).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return one(value);
}
