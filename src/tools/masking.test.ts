import { describe, expect, it } from 'vitest';
import { maskEmail, maskIdentifier, maskPhone, maskPostcode } from './masking.js';

describe('masking', () => {
  it('when an account number is masked then only the last four digits remain', () => {
    expect(maskIdentifier('41234567')).toBe('••••4567');
    expect(maskIdentifier('4000 1234 5678 9010')).toBe('••••9010');
  });

  it('when an identifier is four characters or fewer then nothing is shown', () => {
    expect(maskIdentifier('1234')).toBe('••••');
  });

  it('when contact details are masked then they cannot be read back', () => {
    expect(maskEmail('amelia.hart@example.com')).toBe('a••••@example.com');
    expect(maskPhone('+44 7700 900123')).toBe('••••0123');
    expect(maskPostcode('SW1A 1AA')).toBe('SW1A •••');
  });
});
