// Page frames: AuthLayout centres the login and register cards under the header;
// ConsoleLayout adds the menu and footer around the pages of a logged-in user. The menu is a
// side bar on wide screens and a drawer over the page on narrow ones (below antd's lg, 992 px),
// opened from a button at the left of the header. Its items come from the feature table.
import { useState } from 'react';
import { Drawer, Grid, Layout, Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useServices } from '../app/services';
import { featuresFor, useFeatures } from '../app/features';
import { useSession } from '../auth/session';
import { ConsoleHeader } from './ConsoleHeader';
import { ConfirmBanner } from '../pages/account/ConfirmBanner';

function Footer() {
  const { t } = useTranslation();
  const { config } = useServices();
  return (
    <Layout.Footer className="console-footer">
      {t('app.footer', { version: config.version })}
    </Layout.Footer>
  );
}

export function AuthLayout() {
  return (
    <Layout className="console-root">
      <ConsoleHeader />
      <Layout.Content className="auth-content">
        <Outlet />
      </Layout.Content>
      <Footer />
    </Layout>
  );
}

function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { config } = useServices();
  const role = useSession().data?.user.role;
  const items = featuresFor(role, config.service, useFeatures(), config.demo)
    .filter((f) => f.menu)
    .map((f) => ({
      key: f.path,
      icon: f.icon,
      label: <span data-testid={`nav-${f.key}`}>{t(f.titleKey)}</span>,
    }));
  return (
    <Menu
      mode="inline"
      selectedKeys={[location.pathname]}
      items={items}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
      className="console-menu"
    />
  );
}

export function ConsoleLayout() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  // useBreakpoint is empty until measured; treat that as wide, like the first paint of the CSS.
  const narrow = screens.lg === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <Layout className="console-root">
      <ConsoleHeader onMenu={narrow ? () => setDrawerOpen(true) : undefined} />
      <Layout hasSider={!narrow}>
        {!narrow && (
          <Layout.Sider width={200} theme="light" data-testid="nav-sider">
            <NavMenu />
          </Layout.Sider>
        )}
        {narrow && (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            title={t('nav.menu')}
            rootClassName="nav-drawer"
            styles={{ body: { padding: 0 } }}
          >
            <div data-testid="nav-drawer">
              <NavMenu onNavigate={() => setDrawerOpen(false)} />
            </div>
          </Drawer>
        )}
        <Layout>
          <Layout.Content className="console-content">
            <ConfirmBanner />
            <Outlet />
          </Layout.Content>
          <Footer />
        </Layout>
      </Layout>
    </Layout>
  );
}
