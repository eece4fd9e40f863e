// Test controls for what jsdom cannot be told otherwise: the browser's preferred languages and
// the window width that CSS media queries (and antd's breakpoints) see. test-setup.ts resets
// both after each test: languages ['zh-CN'], width 1280.
let languages: readonly string[] = ['zh-CN'];
let width = 1280;

export function setBrowserLanguages(list: readonly string[]): void {
  languages = list;
}

export function setViewportWidth(px: number): void {
  width = px;
  Object.defineProperty(window, 'innerWidth', { configurable: true, value: px });
}

export function resetBrowser(): void {
  setBrowserLanguages(['zh-CN']);
  setViewportWidth(1280);
}

Object.defineProperty(window.navigator, 'languages', {
  configurable: true,
  get: () => languages,
});

// min-width / max-width queries evaluated against the width set above; enough for antd's Grid.
export function matchesMedia(query: string): boolean {
  const min = /min-width:\s*(\d+)px/.exec(query);
  const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
  if (min && width < Number(min[1])) return false;
  if (max && width > Number(max[1])) return false;
  return Boolean(min || max);
}
