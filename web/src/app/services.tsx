// The app-wide services handed down through React context: the run-time config and the API
// client bound to this service's api_base.
import { createContext, useContext, type ReactNode } from 'react';
import type { AppConfig } from '../api/config';
import type { ApiClient } from '../api/client';

export interface Services {
  config: AppConfig;
  client: ApiClient;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ value, children }: { value: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesProvider');
  return s;
}
