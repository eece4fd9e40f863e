// Entry point: fetch the run-time config, set up i18n and the API client, render the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ApiClient } from './api/client';
import { loadAppConfig } from './api/config';
import { createI18n } from './i18n';
import './styles.css';

const i18n = createI18n();
// Until the config says which console this is; then App's TabTitle names it (and follows the
// language).
document.title = i18n.t('app.product');

const root = createRoot(document.getElementById('root')!);

loadAppConfig()
  .then((config) => {
    root.render(
      <StrictMode>
        <App services={{ config, client: new ApiClient(config.api_base) }} i18n={i18n} />
      </StrictMode>,
    );
  })
  .catch((e: unknown) => {
    console.error(e);
    const box = document.createElement('p');
    box.className = 'boot-failed';
    box.setAttribute('role', 'alert');
    box.textContent = i18n.t('app.boot_failed');
    document.getElementById('root')!.replaceChildren(box);
  });
