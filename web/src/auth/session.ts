// The logged-in session as TanStack Query state: loaded once from GET /me (so a reload keeps
// the user logged in and recovers the CSRF token), replaced on login/register, cleared on logout.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useServices } from '../app/services';
import {
  fetchMe,
  login,
  logout,
  register,
  type LoginInput,
  type RegisterInput,
  type Session,
} from '../api/auth';

export const kSessionKey = ['session'] as const;

export function useSession() {
  const { client } = useServices();
  return useQuery<Session | null>({
    queryKey: kSessionKey,
    queryFn: () => fetchMe(client),
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

export function useLogin() {
  const { client } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => login(client, input),
    onSuccess: (session) => qc.setQueryData(kSessionKey, session),
  });
}

export function useRegister() {
  const { client } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: RegisterInput) => register(client, input),
    onSuccess: (session) => qc.setQueryData(kSessionKey, session),
  });
}

export function useLogout() {
  const { client } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => logout(client),
    onSuccess: () => {
      // Nothing cached for the previous user may leak into the next one's view.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== kSessionKey[0] });
      qc.setQueryData(kSessionKey, null);
    },
  });
}
