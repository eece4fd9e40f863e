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

export async function register(client: ApiClient, input: RegisterInput): Promise<Session> {
  return remember(client, await client.post<Session>('/auth/register', input));
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
