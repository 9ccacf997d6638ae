import { describe, expect, it } from 'vitest';
import { LineStatus, nextLineStatus } from './line-status.ts';

describe('line status', () => {
  it('follows the diagram and refuses to skip Connecting', () => {
    expect(nextLineStatus(LineStatus.NotConnected, LineStatus.Connecting)).toBe(LineStatus.Connecting);
    expect(nextLineStatus(LineStatus.Connecting, LineStatus.Connected)).toBe(LineStatus.Connected);
    expect(nextLineStatus(LineStatus.Connected, LineStatus.Connecting)).toBe(LineStatus.Connecting);
    expect(nextLineStatus(LineStatus.Connected, LineStatus.NotConnected)).toBe(LineStatus.NotConnected);
    expect(nextLineStatus(LineStatus.Connected, LineStatus.Connected)).toBe(LineStatus.Connected);
    expect(() => nextLineStatus(LineStatus.NotConnected, LineStatus.Connected)).toThrow(/illegal/);
  });
});
