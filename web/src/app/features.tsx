// The console's feature table: every page a logged-in user can reach, with who may see it, its
// side-menu entry and its link on the overview. Routes, the menu and the overview are all built
// from this list, so a new page is one entry here (see App.tsx, Layouts.tsx, HomePage.tsx).
// List only what works: the overview must never offer a function that does not exist yet.
import {
  createContext,
  lazy,
  useContext,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';
import {
  AuditOutlined,
  BellOutlined,
  FileAddOutlined,
  FileTextOutlined,
  HomeOutlined,
  InboxOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type { ServiceKind } from '../api/config';
import type { Role } from '../api/auth';

export interface Feature {
  // Unique; also the menu item's key.
  key: string;
  // The route path (absolute, react-router syntax).
  path: string;
  // The page, loaded on demand.
  page: LazyExoticComponent<ComponentType>;
  // i18n key of the name shown in the menu and on the overview.
  titleKey: string;
  // i18n key of one line saying what the page is for (shown on the overview).
  descriptionKey?: string;
  icon?: ReactNode;
  // Who may open it; absent means every logged-in user of the service.
  roles?: readonly Role[];
  // In demo mode (AppConfig.demo) every logged-in user may open it whatever `roles` says.
  openInDemo?: boolean;
  // Which console offers it; absent means both.
  services?: readonly ServiceKind[];
  // Shown in the side menu.
  menu: boolean;
  // Listed on the overview as something the user can do.
  overview: boolean;
}

const HomePage = lazy(() => import('../pages/HomePage'));
const ApplicationsListPage = lazy(() => import('../pages/applications/ApplicationsListPage'));
const ApplicationFormPage = lazy(() => import('../pages/applications/ApplicationFormPage'));
const ApplicationDetailPage = lazy(() => import('../pages/applications/ApplicationDetailPage'));
const ReviewQueuePage = lazy(() => import('../pages/review/ReviewQueuePage'));
const ReviewPage = lazy(() => import('../pages/review/ReviewPage'));
const ShippingPage = lazy(() => import('../pages/review/ShippingPage'));
const MailboxPage = lazy(() => import('../pages/notify/MailboxPage'));
const MyNotificationsPage = lazy(() => import('../pages/notify/MyNotificationsPage'));
const OutboxPage = lazy(() => import('../pages/notify/OutboxPage'));
const AuthorityQueuePage = lazy(() => import('../pages/authorityReview/AuthorityQueuePage'));
const SubmissionReviewPage = lazy(() => import('../pages/authorityReview/SubmissionReviewPage'));

export const kFeatures: Feature[] = [
  {
    key: 'home',
    path: '/',
    page: HomePage,
    titleKey: 'nav.home',
    icon: <HomeOutlined />,
    menu: true,
    overview: false,
  },
  // The applicant's filings: the list (menu and overview), a new filing (overview), and the
  // pages reached from the list.
  {
    key: 'applications',
    path: '/applications',
    page: ApplicationsListPage,
    titleKey: 'apps.nav.list',
    descriptionKey: 'apps.nav.list_description',
    icon: <FileTextOutlined />,
    roles: ['applicant'],
    services: ['agent'],
    menu: true,
    overview: true,
  },
  {
    key: 'application-new',
    path: '/applications/new',
    page: ApplicationFormPage,
    titleKey: 'apps.nav.new',
    descriptionKey: 'apps.nav.new_description',
    icon: <FileAddOutlined />,
    roles: ['applicant'],
    services: ['agent'],
    menu: true,
    overview: true,
  },
  {
    key: 'application-edit',
    path: '/applications/:id/edit',
    page: ApplicationFormPage,
    titleKey: 'apps.form.title_edit',
    roles: ['applicant'],
    services: ['agent'],
    menu: false,
    overview: false,
  },
  {
    key: 'application-detail',
    path: '/applications/:id',
    page: ApplicationDetailPage,
    titleKey: 'apps.detail.title',
    roles: ['applicant'],
    services: ['agent'],
    menu: false,
    overview: false,
  },
  // The provider's reviewer: the queue (preliminary review, photo check, ready list), the review
  // screen it opens, and the backdrop shipping list.
  {
    key: 'review-queue',
    path: '/review',
    page: ReviewQueuePage,
    titleKey: 'review.nav.queue',
    descriptionKey: 'review.nav.queue_desc',
    icon: <AuditOutlined />,
    roles: ['reviewer'],
    services: ['agent'],
    menu: true,
    overview: true,
  },
  {
    key: 'review-application',
    path: '/review/applications/:id',
    page: ReviewPage,
    titleKey: 'review.nav.queue',
    roles: ['reviewer'],
    services: ['agent'],
    menu: false,
    overview: false,
  },
  {
    key: 'review-shipping',
    path: '/review/backdrops',
    page: ShippingPage,
    titleKey: 'review.nav.shipping',
    descriptionKey: 'review.nav.shipping_desc',
    icon: <SendOutlined />,
    roles: ['reviewer'],
    services: ['agent'],
    menu: true,
    overview: true,
  },
  // The authority reviewer (8090, issue 10): the queue of submissions and the review screen of
  // one (claim, documents, SMS verification, approve or reject, the SNs issued).
  {
    key: 'authority-queue',
    path: '/submissions',
    page: AuthorityQueuePage,
    titleKey: 'authorityReview.nav.queue',
    descriptionKey: 'authorityReview.nav.queue_desc',
    icon: <AuditOutlined />,
    roles: ['authority_reviewer'],
    services: ['authority'],
    menu: true,
    overview: true,
  },
  {
    key: 'authority-submission',
    path: '/submissions/:id',
    page: SubmissionReviewPage,
    titleKey: 'authorityReview.nav.queue',
    roles: ['authority_reviewer'],
    services: ['authority'],
    menu: false,
    overview: false,
  },
  // Notifications (issue 9): the account's own history, the development mailbox (admins, and
  // everyone in demo mode; on the authority its reviewers, who read the SMS codes and the
  // authority's messages there) and the operators' outbox.
  {
    key: 'my-notifications',
    path: '/notifications',
    page: MyNotificationsPage,
    titleKey: 'mailbox.nav.mine',
    descriptionKey: 'mailbox.nav.mine_description',
    icon: <BellOutlined />,
    services: ['agent'],
    menu: true,
    overview: false,
  },
  {
    key: 'mailbox',
    path: '/mailbox',
    page: MailboxPage,
    titleKey: 'mailbox.nav.mailbox',
    descriptionKey: 'mailbox.nav.mailbox_description',
    icon: <InboxOutlined />,
    roles: ['admin', 'authority_reviewer'],
    openInDemo: true,
    menu: true,
    overview: true,
  },
  {
    key: 'outbox',
    path: '/admin/notifications',
    page: OutboxPage,
    titleKey: 'mailbox.nav.outbox',
    descriptionKey: 'mailbox.nav.outbox_description',
    icon: <SendOutlined />,
    roles: ['admin'],
    services: ['agent'],
    menu: true,
    overview: true,
  },
];

export function isAvailable(
  feature: Feature,
  role: string | undefined,
  service: ServiceKind,
  demo = false,
): boolean {
  if (feature.services && !feature.services.includes(service)) return false;
  if (demo && feature.openInDemo) return true;
  if (feature.roles && !(feature.roles as readonly string[]).includes(role ?? '')) return false;
  return true;
}

// The features this user sees, in table order.
export function featuresFor(
  role: string | undefined,
  service: ServiceKind,
  features: readonly Feature[] = kFeatures,
  demo = false,
): Feature[] {
  return features.filter((f) => isAvailable(f, role, service, demo));
}

// The table in use, from context so that tests can run the app with pages of their own.
const FeaturesContext = createContext<readonly Feature[]>(kFeatures);
export const FeaturesProvider = FeaturesContext.Provider;

export function useFeatures(): readonly Feature[] {
  return useContext(FeaturesContext);
}
