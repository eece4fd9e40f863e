// The logged-in session as TanStack Query state: loaded from GET /me (so a reload keeps the
// user logged in and recovers the CSRF token) and checked again whenever the tab comes back
// into view, replaced on login/register, cleared on logout or when any API call says the
// session has ended (401).
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { isLanguage, switchLanguage } from '../i18n';
import {
  fetchMe,
  login,
  logout,
  logoutAll,
  register,
  type LoginInput,
  type RegisterInput,
  type Session,
} from '../api/auth';

export const kSessionKey = ['session'] as const;
// Set when a session ended under the user (so the login page can say so); cleared on login.
export const kSessionEndedKey = ['session-ended'] as const;

// Forgets everything cached for the previous user: nothing may leak into the next one's view.
function dropUserData(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== kSessionKey[0] });
}

// Sets the session, first dropping a /me check still on its way: its answer predates this
// change (a /me answered just before a logout would otherwise bring the ended session back).
function setSession(qc: QueryClient, session: Session | null): void {
  void qc.cancelQueries({ queryKey: kSessionKey });
  qc.setQueryData(kSessionKey, session);
}

export function useSession() {
  const { client } = useServices();
  return useQuery<Session | null>({
    queryKey: kSessionKey,
    queryFn: () => fetchMe(client),
    staleTime: Infinity,
    retry: false,
    // A user who comes back to the tab learns at once if the session ended meanwhile. A check
    // that fails for another reason keeps the session as it was (no logout on a network blip).
    refetchOnWindowFocus: 'always',
  });
}

// Subscribes the session state to the API client's "session lost" signal; RequireSession then
// sends the user to login, remembering the page they were on.
export function useSessionLossHandler(): void {
  const { client } = useServices();
  const qc = useQueryClient();
  useEffect(
    () =>
      client.onSessionLost(() => {
        dropUserData(qc);
        qc.setQueryData(kSessionEndedKey, true);
        setSession(qc, null);
      }),
    [client, qc],
  );
}

// After logging in, the console speaks the language saved with the account.
function useApplyAccountLanguage() {
  const { i18n } = useTranslation();
  return (session: Session) => {
    const lang = session.user.locale;
    if (isLanguage(lang) && lang !== i18n.language) void switchLanguage(i18n, lang);
  };
}

export function useLogin() {
  const { client } = useServices();
  const qc = useQueryClient();
  const applyLanguage = useApplyAccountLanguage();
  return useMutation({
    mutationFn: (input: LoginInput) => login(client, input),
    onSuccess: (session) => {
      qc.removeQueries({ queryKey: kSessionEndedKey });
      applyLanguage(session);
      setSession(qc, session);
    },
  });
}

export function useRegister() {
  const { client } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: RegisterInput) => register(client, input),
    onSuccess: (session) => {
      qc.removeQueries({ queryKey: kSessionEndedKey });
      setSession(qc, session);
    },
  });
}

// Logs out of this browser, or with `everywhere` ends every session of the account.
export function useLogout() {
  const { client } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (options?: { everywhere?: boolean }) =>
      options?.everywhere ? logoutAll(client) : logout(client),
    onSuccess: () => {
      dropUserData(qc);
      setSession(qc, null);
    },
  });
}
