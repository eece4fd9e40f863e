// The app root: antd theme and locale (following the chosen language), the query client, and
// the routes with their guards. Pages are loaded on demand to keep the first download small.
import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import {
  createBrowserRouter,
  createMemoryRouter,
  Navigate,
  Outlet,
  RouterProvider,
  useLocation,
  type RouteObject,
} from 'react-router';
import { ServicesProvider, useServices, type Services } from './services';
import { useSession } from '../auth/session';
import { AuthLayout, ConsoleLayout } from '../layout/Layouts';

const LoginPage = lazy(() => import('../pages/LoginPage'));
const RegisterPage = lazy(() => import('../pages/RegisterPage'));
const HomePage = lazy(() => import('../pages/HomePage'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage'));

export function PageSpinner() {
  return (
    <div className="page-spinner">
      <Spin size="large" />
    </div>
  );
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSpinner />}>{children}</Suspense>;
}

// Pages for logged-in users: anyone else is sent to login, remembering where they were going.
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner />;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

// Login and register make no sense once logged in. This is also where a successful login or
// registration leaves those pages: to the page the user was sent away from, or home.
function GuestOnly() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner />;
  if (session.data) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from.startsWith('/') ? from : '/'} replace />;
  }
  return <Outlet />;
}

// Registration exists on the agent only; the authority's accounts are created by its admins.
function AgentOnly({ children }: { children: ReactNode }) {
  const { config } = useServices();
  return config.service === 'agent' ? children : <Navigate to="/login" replace />;
}

export const routes: RouteObject[] = [
  {
    element: <GuestOnly />,
    children: [
      {
        element: <AuthLayout />,
        children: [
          { path: '/login', element: <Page><LoginPage /></Page> },
          { path: '/register', element: <AgentOnly><Page><RegisterPage /></Page></AgentOnly> },
        ],
      },
    ],
  },
  {
    element: <RequireSession />,
    children: [
      {
        element: <ConsoleLayout />,
        children: [
          { path: '/', element: <Page><HomePage /></Page> },
          { path: '*', element: <Page><NotFoundPage /></Page> },
        ],
      },
    ],
  },
];

function Localized({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? enUS : zhCN;
  return (
    <ConfigProvider
      locale={locale}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 4 } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
  });
}

export interface AppProps {
  services: Services;
  i18n: I18n;
  queryClient?: QueryClient;
  // Tests run the routes in memory from a given path.
  initialPath?: string;
}

export function App({ services, i18n, queryClient, initialPath }: AppProps) {
  const qc = useMemo(() => queryClient ?? makeQueryClient(), [queryClient]);
  const router = useMemo(
    () =>
      initialPath !== undefined
        ? createMemoryRouter(routes, { initialEntries: [initialPath] })
        : createBrowserRouter(routes),
    [initialPath],
  );
  return (
    <I18nextProvider i18n={i18n}>
      <ServicesProvider value={services}>
        <QueryClientProvider client={qc}>
          <Localized>
            <RouterProvider router={router} />
          </Localized>
        </QueryClientProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
