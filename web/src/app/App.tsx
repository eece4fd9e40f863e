// The app root: antd theme and locale (following the chosen language), the query client, the
// tab title, and the routes with their guards. The logged-in pages come from the feature table
// (features.tsx); pages are loaded on demand to keep the first download small.
import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
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
import { FeaturesProvider, isAvailable, kFeatures, type Feature } from './features';
import { kSessionEndedKey, useSession, useSessionLossHandler } from '../auth/session';
import { AuthLayout, ConsoleLayout } from '../layout/Layouts';
import { OutagePage } from '../pages/OutagePage';

const LoginPage = lazy(() => import('../pages/LoginPage'));
const RegisterPage = lazy(() => import('../pages/RegisterPage'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage'));
const PublicQueryPage = lazy(() => import('../pages/authority/PublicQueryPage'));
const VerifyPage = lazy(() => import('../pages/authorityReview/VerifyPage'));
const FiledCheckPage = lazy(() => import('../pages/public/FiledCheckPage'));
const ConfirmEmailPage = lazy(() => import('../pages/account/ConfirmEmailPage'));
const ForgotPasswordPage = lazy(() => import('../pages/account/ForgotPasswordPage'));
const ResetPasswordPage = lazy(() => import('../pages/account/ResetPasswordPage'));

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

// What the login page is told when it is shown instead of another page.
export interface LoginState {
  // The page to return to after logging in (path, query and fragment).
  from?: string;
  // The session ended while the user was working (a 401 from the API), as opposed to a visitor
  // who never logged in.
  expired?: boolean;
}

// Pages for logged-in users: anyone else is sent to login, remembering where they were going.
// A /me that failed for another reason than "not logged in" (network, 5xx) says the service
// cannot be reached: the user may well still be logged in.
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  const qc = useQueryClient();
  if (session.isPending) return <PageSpinner />;
  if (session.data === undefined && session.isError) {
    return <OutagePage error={session.error} onRetry={() => void session.refetch()} />;
  }
  if (!session.data) {
    const state: LoginState = {
      from: location.pathname + location.search + location.hash,
      expired: qc.getQueryData(kSessionEndedKey) === true,
    };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Outlet />;
}

// Login and register make no sense once logged in. This is also where a successful login or
// registration leaves those pages: to the page the user was sent away from, or home.
function GuestOnly() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner />;
  if (session.data === undefined && session.isError) {
    return <OutagePage error={session.error} onRetry={() => void session.refetch()} />;
  }
  if (session.data) {
    const from = (location.state as LoginState | null)?.from;
    // Only a path of this app: "//host" would leave it.
    const safe = from && from.startsWith('/') && !from.startsWith('//');
    return <Navigate to={safe ? from : '/'} replace />;
  }
  return <Outlet />;
}

// Registration exists on the agent only; the authority's accounts are created by its admins.
function AgentOnly({ children }: { children: ReactNode }) {
  const { config } = useServices();
  return config.service === 'agent' ? children : <Navigate to="/login" replace />;
}

// The authority's public pages (the filing query, the SMS verification): anyone, signed in or
// not; the agent has none.
function AuthorityOnly({ children }: { children: ReactNode }) {
  const { config } = useServices();
  return config.service === 'authority' ? children : <Navigate to="/" replace />;
}

// A feature's page for those it is meant for; others see "not found" rather than a page that
// would only answer 403.
function FeatureGate({ feature, children }: { feature: Feature; children: ReactNode }) {
  const { config } = useServices();
  const role = useSession().data?.user.role;
  if (!isAvailable(feature, role, config.service, config.demo)) return <NotFoundPage />;
  return children;
}

export function buildRoutes(features: readonly Feature[]): RouteObject[] {
  return [
    // Public pages: no session needed (the authority's filing query, the agent's "is it filed?").
    {
      element: <AuthLayout />,
      children: [
        {
          path: '/query',
          element: <AuthorityOnly><Page><PublicQueryPage /></Page></AuthorityOnly>,
        },
        // The persons in charge enter their SMS codes here (issue 10 item 4).
        {
          path: '/verify',
          element: <AuthorityOnly><Page><VerifyPage /></Page></AuthorityOnly>,
        },
        {
          path: '/filed',
          element: <AgentOnly><Page><FiledCheckPage /></Page></AgentOnly>,
        },
        // The links of the confirmation and password-reset e-mails (issue 9 item 8).
        {
          path: '/confirm-email',
          element: <AgentOnly><Page><ConfirmEmailPage /></Page></AgentOnly>,
        },
        {
          path: '/forgot-password',
          element: <AgentOnly><Page><ForgotPasswordPage /></Page></AgentOnly>,
        },
        {
          path: '/reset-password',
          element: <AgentOnly><Page><ResetPasswordPage /></Page></AgentOnly>,
        },
      ],
    },
    {
      element: <GuestOnly />,
      children: [
        {
          element: <AuthLayout />,
          children: [
            { path: '/login', element: <Page><LoginPage /></Page> },
            {
              path: '/register',
              element: <AgentOnly><Page><RegisterPage /></Page></AgentOnly>,
            },
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
            ...features.map((f) => ({
              path: f.path,
              element: (
                <Page>
                  <FeatureGate feature={f}>
                    <f.page />
                  </FeatureGate>
                </Page>
              ),
            })),
            { path: '*', element: <Page><NotFoundPage /></Page> },
          ],
        },
      ],
    },
  ];
}

export const routes: RouteObject[] = buildRoutes(kFeatures);

// The browser tab names the console, so that a reviewer with both open can tell them apart.
function TabTitle() {
  const { t, i18n } = useTranslation();
  const { config } = useServices();
  useEffect(() => {
    const name = t(config.service === 'authority' ? 'app.console_authority' : 'app.console_agent');
    document.title = `${name} - ${t('app.product')}`;
  }, [t, i18n.language, config.service]);
  return null;
}

// Wires the API client's "session lost" signal (a 401 on any call) to the session state.
function SessionLossWatch() {
  useSessionLossHandler();
  return null;
}

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
  // Tests add pages of their own; the product uses kFeatures.
  features?: readonly Feature[];
}

export function App({ services, i18n, queryClient, initialPath, features }: AppProps) {
  const qc = useMemo(() => queryClient ?? makeQueryClient(), [queryClient]);
  const table = features ?? kFeatures;
  const router = useMemo(() => {
    const r = buildRoutes(table);
    return initialPath !== undefined
      ? createMemoryRouter(r, { initialEntries: [initialPath] })
      : createBrowserRouter(r);
  }, [initialPath, table]);
  return (
    <I18nextProvider i18n={i18n}>
      <ServicesProvider value={services}>
        <FeaturesProvider value={table}>
          <QueryClientProvider client={qc}>
            <SessionLossWatch />
            <TabTitle />
            <Localized>
              <RouterProvider router={router} />
            </Localized>
          </QueryClientProvider>
        </FeaturesProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
