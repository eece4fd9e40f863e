// Names and colours of the filing model's values in the console's language: states (a coloured
// tag), filing types, events, review reasons, enumerations, document subjects, finding texts.
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Finding, LocalizedText } from '../../api/applications';
import { fieldLabel } from './formModel';

// antd preset colours: in progress blue, waiting on the applicant orange, done green, ended grey.
const kStateColor: Record<string, string> = {
  draft: 'default',
  preliminary_review: 'processing',
  returned: 'warning',
  verification: 'gold',
  backdrop_requested: 'cyan',
  backdrop_shipped: 'gold',
  photo_uploaded: 'processing',
  photo_accepted: 'success',
  authority_review: 'purple',
  approved: 'green',
  withdrawn: 'default',
};

// A translation of `key` when the catalogue has one, else `fallback` (values the server may add).
function known(t: TFunction, key: string, fallback: string): string {
  return t(key, { defaultValue: fallback });
}

export function stateLabel(t: TFunction, state: string): string {
  return known(t, `apps.state.${state}`, state);
}

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={kStateColor[state] ?? 'default'} data-testid="state-tag" data-state={state}>
      {stateLabel(t, state)}
    </Tag>
  );
}

export function filingTypeLabel(t: TFunction, type: string | null | undefined): string {
  return type ? known(t, `apps.filing_type.${type}`, type) : t('apps.filing_type.unknown');
}

export function eventLabel(t: TFunction, event: string): string {
  return known(t, `apps.event.${event}`, event);
}

export function actorLabel(t: TFunction, role: string): string {
  return known(t, `apps.role.${role}`, role);
}

export function enumLabel(t: TFunction, group: string, value: string | undefined | null): string {
  if (!value) return '';
  return known(t, `apps.${group}.${value}`, value);
}

// A review reason: its catalogue name and the reviewer's note.
export function reasonText(t: TFunction, r: { code: string; message?: string }): string {
  const name = known(t, `apps.reason.${r.code}`, r.code);
  return r.message ? `${name} — ${r.message}` : name;
}

// The text of a server message object in the console's language.
export function localized(lang: string, m: LocalizedText | undefined, fallback = ''): string {
  if (!m) return fallback;
  return (lang === 'en' ? m.en : m['zh-CN']) ?? m.en ?? m['zh-CN'] ?? fallback;
}

export function findingText(lang: string, f: Finding): string {
  return localized(lang, f.message, f.code);
}

// A document subject (`organizer`, `organizer.person_in_charge`, `websites[1]`,
// `websites[1].person_in_charge`) in words.
export function subjectLabel(t: TFunction, subject: string): string {
  if (subject === 'organizer') return t('apps.subject.organizer');
  if (subject === 'organizer.person_in_charge') return t('apps.subject.organizer_person');
  const m = /^websites\[(\d+)\](\.person_in_charge)?$/.exec(subject);
  if (m) {
    const n = Number(m[1]) + 1;
    return t(m[2] ? 'apps.subject.website_person' : 'apps.subject.website', { n });
  }
  return subject;
}

export function documentLabel(t: TFunction, kind: string, subject: string): string {
  return t('apps.common.qualified', {
    name: enumLabel(t, 'document_kind', kind),
    detail: subjectLabel(t, subject),
  });
}

// What a review reason's field path names: a form field, a document (documents.<kind>:<subject>)
// or the verified photo.
export function flagLabel(t: TFunction, field: string): string {
  if (field.startsWith('documents.')) {
    const [kind, subject = ''] = field.slice('documents.'.length).split(':');
    return documentLabel(t, kind, subject);
  }
  if (field === 'photo') return enumLabel(t, 'document_kind', 'verified_photo');
  return fieldLabel(t, field);
}

export function formatTime(lang: string, iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}
