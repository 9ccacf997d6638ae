import { describe, expect, it } from 'vitest';
import { bestFailureStatus, dispositionOf } from './call-outcome.ts';

describe('bestFailureStatus', () => {
  it('says busy when any device is busy, and prefers a global failure', () => {
    expect(bestFailureStatus([480, 486, 404])).toBe(486);
    expect(bestFailureStatus([486, 603])).toBe(603);
  });
  it('takes the lowest class otherwise, hides authentication challenges, defaults to 480', () => {
    expect(bestFailureStatus([503, 404])).toBe(404);
    expect(bestFailureStatus([407])).toBe(480);
    expect(bestFailureStatus([])).toBe(480);
  });
});

describe('dispositionOf', () => {
  it('maps statuses to CDR dispositions', () => {
    expect(dispositionOf(486)).toBe('busy');
    expect(dispositionOf(603)).toBe('busy');
    expect(dispositionOf(480)).toBe('no_answer');
    expect(dispositionOf(408)).toBe('no_answer');
    expect(dispositionOf(487)).toBe('cancelled');
    expect(dispositionOf(404)).toBe('failed');
  });
});
