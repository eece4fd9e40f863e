// The accounts endpoints shared by both services (register exists on the agent only).
import { ApiClient, ApiError } from './client';

export type Role = 'applicant' | 'reviewer' | 'admin' | 'authority_reviewer';

export interface User {
  id: string | number;
  email: string;
  phone?: string;
  display_name: string;
  role: Role | string;
  locale?: string;
  // False only for a self-registered account that has not confirmed it yet (issue 9 item 8).
  email_confirmed?: boolean;
  mobile_confirmed?: boolean;
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface RegisterInput {
  email: string;
  phone: string;
  password: string;
  display_name: string;
  // The language for the user's notifications; the server defaults to zh-CN.
  locale?: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

function remember(client: ApiClient, session: Session): Session {
  client.setCsrfToken(session.csrf_token ?? null);
  return session;
}

// Registration answers 202 whether or not the address has an account (the server mails the
// owner instead) and signs nobody in: the console signs in with the same credentials next. For
// an address that already has an account with another password that sign-in fails with
// invalid_credentials, as it would for anyone who does not know the password.
export async function register(client: ApiClient, input: RegisterInput): Promise<Session> {
  await client.post<unknown>('/auth/register', input);
  return login(client, { email: input.email, password: input.password });
}

// Account confirmation and password reset (issue 9 item 8).
export async function confirmEmail(client: ApiClient, token: string): Promise<void> {
  await client.post<void>('/auth/confirm-email', { token });
}

export async function confirmMobile(client: ApiClient, code: string): Promise<void> {
  await client.post<void>('/auth/confirm-mobile', { code });
}

export async function resendConfirmation(client: ApiClient): Promise<void> {
  await client.post<unknown>('/auth/confirm-mobile/resend');
}

export async function requestPasswordReset(client: ApiClient, email: string): Promise<void> {
  await client.post<unknown>('/auth/password-reset', { email });
}

export async function resetPassword(
  client: ApiClient,
  token: string,
  password: string,
): Promise<void> {
  await client.post<void>('/auth/password-reset/confirm', { token, password });
}

export async function login(client: ApiClient, input: LoginInput): Promise<Session> {
  return remember(client, await client.post<Session>('/auth/login', input));
}

export async function logout(client: ApiClient): Promise<void> {
  try {
    await client.post<void>('/auth/logout');
  } catch (e) {
    // A session that is already gone is the outcome logout wants; anything else (network down)
    // leaves the session, and its token, as they were so that the user can try again.
    if (!(e instanceof ApiError && e.code === 'unauthenticated')) throw e;
  }
  client.setCsrfToken(null);
}

// Ends every session of the account, this one included ("sign out everywhere"). As with
// logout, a session that is already gone counts as done.
export async function logoutAll(client: ApiClient): Promise<void> {
  try {
    await client.post<void>('/auth/logout-all');
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'unauthenticated')) throw e;
  }
  client.setCsrfToken(null);
}

// Restores the session after a reload: null when nobody is logged in.
export async function fetchMe(client: ApiClient): Promise<Session | null> {
  try {
    return remember(client, await client.get<Session>('/me'));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.code === 'unauthenticated')) {
      client.setCsrfToken(null);
      return null;
    }
    throw e;
  }
}
