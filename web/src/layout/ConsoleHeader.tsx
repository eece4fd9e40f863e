// The top bar of every page, in the manner of a Chinese cloud console: product name and
// console on the left, language and the user's menu on the right. On narrow screens the menu
// button sits at the far left (before the brand, never over the page) and the console's name
// stays while the product name gives way.
import { App, Avatar, Button, Dropdown, Layout, Space, Typography, type ButtonProps } from 'antd';
import { DisconnectOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useServices } from '../app/services';
import { useLogout, useSession } from '../auth/session';
import { LanguageSwitch } from './LanguageSwitch';
import { roleLabel } from '../lib/roles';
import { globalErrorText, mapApiError } from '../lib/errors';

export function ConsoleHeader({ onMenu }: { onMenu?: () => void }) {
  const { t } = useTranslation();
  const { config } = useServices();
  const session = useSession().data ?? null;
  const logout = useLogout();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();

  const onLogout = (everywhere = false) => {
    logout.mutate({ everywhere }, {
      onSuccess: () => navigate('/login', { replace: true }),
      // Still logged in (network down, expired page): say so rather than do nothing.
      onError: (e) => {
        const g = mapApiError(e, []).global;
        if (g) void message.error(globalErrorText(t, g));
      },
    });
  };

  return (
    <Layout.Header className="console-header">
      <div className="console-header-start">
        {onMenu && (
          <Button
            type="text"
            className="console-header-button console-menu-button"
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            data-testid="menu-button"
            onClick={onMenu}
          />
        )}
        <div className="console-brand" data-testid="product-name">
          <span className="console-logo" aria-hidden>
            ICP
          </span>
          <span className="console-product">{t('app.product')}</span>
          <span className="console-divider" aria-hidden />
          <span className="console-name" data-testid="console-name">
            {t(config.service === 'authority' ? 'app.console_authority' : 'app.console_agent')}
          </span>
        </div>
      </div>
      <Space size="small" className="console-actions">
        <LanguageSwitch />
        {session && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'who',
                  disabled: true,
                  label: (
                    <div className="user-menu-who">
                      <Typography.Text strong>{session.user.display_name}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">{session.user.email}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">
                        {roleLabel(t, session.user.role)}
                      </Typography.Text>
                    </div>
                  ),
                },
                { type: 'divider' },
                {
                  key: 'logout',
                  icon: <LogoutOutlined />,
                  label: <span data-testid="logout">{t('nav.logout')}</span>,
                  onClick: () => onLogout(),
                },
                {
                  key: 'logout-all',
                  icon: <DisconnectOutlined />,
                  label: <span data-testid="logout-all">{t('nav.logout_all')}</span>,
                  onClick: () =>
                    void modal.confirm({
                      title: t('nav.logout_all_confirm'),
                      content: t('nav.logout_all_detail'),
                      okText: t('nav.logout_all'),
                      cancelText: t('nav.cancel'),
                      okButtonProps: { 'data-testid': 'logout-all-ok' } as ButtonProps,
                      onOk: () => onLogout(true),
                    }),
                },
              ],
            }}
          >
            <Button
              type="text"
              className="console-header-button"
              aria-label={t('nav.user_menu')}
              data-testid="user-menu"
            >
              <Avatar size="small" className="user-avatar" icon={<UserOutlined />} />
              <span className="user-menu-name">{session.user.display_name}</span>
            </Button>
          </Dropdown>
        )}
      </Space>
    </Layout.Header>
  );
}
