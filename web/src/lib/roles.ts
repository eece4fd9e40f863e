// What each role is called and what it lets a user do, as i18n keys. The home page lists these;
// the roles are the server's closed set (DESIGN §1).
import type { TFunction } from 'i18next';
import type { Role } from '../api/auth';

export const kRoles: Role[] = ['applicant', 'reviewer', 'admin', 'authority_reviewer'];

export const kRoleAbilities: Record<Role, string[]> = {
  applicant: ['file', 'documents', 'verify', 'track'],
  reviewer: ['preliminary', 'backdrop', 'authenticity', 'forward'],
  admin: ['users', 'inventory', 'config'],
  authority_reviewer: ['review', 'decide', 'query'],
};

export function isRole(value: string): value is Role {
  return (kRoles as string[]).includes(value);
}

// The role's name in the current language; an unknown role is shown as it came.
export function roleLabel(t: TFunction, role: string): string {
  return isRole(role) ? t(`role.${role}`) : t('role.unknown', { role });
}

export function abilityKeys(role: string): string[] {
  return isRole(role) ? kRoleAbilities[role].map((a) => `abilities.${role}.${a}`) : [];
}
