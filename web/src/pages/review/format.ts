// Times as the review pages show them: local "YYYY-MM-DD HH:mm" (the reviewer's clock), or a
// dash when absent or unreadable; and who holds a claim, from a claimed_by_other refusal.
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';

const pad = (n: number) => String(n).padStart(2, '0');

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// "审核员乙 正在审核（领取至 …）" from a 409 claimed_by_other, whose details name the holder
// (claim.reviewer_name) and the claim's end (claim.expires_at); null for any other error.
export function claimHolderText(t: TFunction, error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'claimed_by_other') return null;
  const detail = (field: string) => error.details.find((d) => d.field === field)?.message;
  const name = detail('claim.reviewer_name');
  if (!name) return null;
  return t('review.detail.claimed_by', { name, time: formatTime(detail('claim.expires_at')) });
}
