// Shared bits of the authority's review pages: the submission's state as a coloured tag, and
// the SMS person keys ("organizer", "website:0") in words.
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

const kStateColors: Record<string, string> = {
  sms_verification: 'gold',
  under_review: 'blue',
  approved: 'green',
  rejected: 'red',
  expired: 'default',
};

export function SubmissionStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={kStateColors[state] ?? 'default'} data-testid="submission-state" data-state={state}>
      {t(`authorityReview.state.${state}`, { defaultValue: state })}
    </Tag>
  );
}

// "organizer" → 主办者负责人, "website:1" → 网站 2 负责人; anything else as it came.
export function smsPersonLabel(t: TFunction, person: string): string {
  if (person === 'organizer') return t('authorityReview.person.organizer');
  const m = /^website:(\d+)$/.exec(person);
  if (m) return t('authorityReview.person.website', { n: Number(m[1]) + 1 });
  return person;
}
