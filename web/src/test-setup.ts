// Vitest set-up: the browser APIs jsdom lacks and antd relies on.
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import { matchesMedia, resetBrowser } from './test/browser';

// findBy*/waitFor give a loaded machine more than the default second.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  resetBrowser();
});
resetBrowser();

// Always replaced (jsdom's own never matches): queries follow setViewportWidth.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: matchesMedia(query),
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});

if (!('ResizeObserver' in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserverStub });
}

// antd measures scrollbars through getComputedStyle on pseudo-elements, which jsdom rejects.
const realGetComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element) => realGetComputedStyle(elt);
