// Test helpers the reviewers' screen tests share (review.test.tsx, authorityReview.test.tsx):
// picking from an antd Select by the test id on it, and the fake server's requests to a path.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import type { FakeServer } from './fakeServer';

// Opens an antd Select (by the test id on it) and picks the option showing `label`.
export async function pick(testId: string, label: string) {
  const root = screen.getByTestId(testId);
  const target = root.querySelector('input') ?? root;
  fireEvent.mouseDown(target);
  const options = await waitFor(() => {
    const found = [...document.querySelectorAll('.ant-select-item-option')].filter(
      (o) => o.textContent === label,
    );
    expect(found.length).toBeGreaterThan(0);
    return found;
  });
  fireEvent.click(options[options.length - 1]);
}

// The requests the fake server received whose path contains `part`.
export const requestsTo = (server: FakeServer, part: string) =>
  server.requests.filter((r) => r.path.includes(part));
