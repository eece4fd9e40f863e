// Page frames: AuthLayout centres the login and register cards under the header;
// ConsoleLayout adds the side menu and footer around the pages of a logged-in user.
import { Layout, Menu } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useServices } from '../app/services';
import { ConsoleHeader } from './ConsoleHeader';

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

export function ConsoleLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <Layout className="console-root">
      <ConsoleHeader />
      <Layout hasSider>
        <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
          <Menu
            mode="inline"
            selectedKeys={[location.pathname]}
            items={[{ key: '/', icon: <HomeOutlined />, label: t('nav.home') }]}
            onClick={({ key }) => navigate(key)}
            className="console-menu"
          />
        </Layout.Sider>
        <Layout>
          <Layout.Content className="console-content">
            <Outlet />
          </Layout.Content>
          <Footer />
        </Layout>
      </Layout>
    </Layout>
  );
}
