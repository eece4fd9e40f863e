// What each role is called. The roles are the server's closed set (DESIGN §1); what a role may
// do is the feature table's business (app/features.tsx), which lists only pages that exist.
import type { TFunction } from 'i18next';
import type { Role } from '../api/auth';

export const kRoles: Role[] = ['applicant', 'reviewer', 'admin', 'authority_reviewer'];

export function isRole(value: string): value is Role {
  return (kRoles as string[]).includes(value);
}

// The role's name in the current language; an unknown role is shown as it came.
export function roleLabel(t: TFunction, role: string): string {
  return isRole(role) ? t(`role.${role}`) : t('role.unknown', { role });
}
