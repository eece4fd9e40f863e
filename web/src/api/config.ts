// The run-time configuration the serving process hands the app: which service this is and
// where its API lives. The same build is served by the agent and by the authority.
export type ServiceKind = 'agent' | 'authority';

export interface AppConfig {
  service: ServiceKind;
  api_base: string;
  version: string;
  // Demo accounts are loaded: some pages (the development mailbox) are open to every account.
  demo?: boolean;
  // The agent's: where the authority's public pages are (its SMS verification page /verify).
  authority_public_url?: string;
}

function isAppConfig(value: unknown): value is AppConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.service === 'agent' || v.service === 'authority') &&
    typeof v.api_base === 'string' &&
    v.api_base.startsWith('/')
  );
}

// Normalises a parsed /app-config.json body; throws on anything that is not a usable config so
// that the boot screen can say so instead of talking to a wrong address.
export function parseAppConfig(value: unknown): AppConfig {
  if (!isAppConfig(value)) throw new Error('app-config.json is malformed');
  const v = value as AppConfig;
  return {
    service: v.service,
    api_base: v.api_base.replace(/\/+$/, ''),
    version: typeof v.version === 'string' ? v.version : '',
    demo: v.demo === true,
    ...(typeof v.authority_public_url === 'string' && /^https?:\/\//.test(v.authority_public_url)
      ? { authority_public_url: v.authority_public_url.replace(/\/+$/, '') }
      : {}),
  };
}

export async function loadAppConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  const res = await fetchImpl('/app-config.json', {
    headers: { Accept: 'application/json' },
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(`app-config.json: HTTP ${res.status}`);
  return parseAppConfig(await res.json());
}
