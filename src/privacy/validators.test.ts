import { describe, expect, it } from 'vitest';
import {
  isAbaRoutingNumber,
  isCreditCardNumber,
  isIban,
  isIpv4,
  isIpv6,
  isPlausibleBirthDate,
  isSwiftCode,
  isUkPostcode,
  isUsSsn,
} from './validators.js';

describe('validators', () => {
  it.each([
    ['4111 1111 1111 1111', true],
    ['4012-8888-8888-1881', true],
    ['371449635398431', true],
    ['122000000000003', true],
    ['4012-8888-8888-1882', false],
    ['36168002586008', false],
    ['1748503543012', false],
    ['0000000000000000', false],
    ['411111111111', false],
  ])('when card number %s then valid is %s', (value, expected) => {
    expect(isCreditCardNumber(value)).toBe(expected);
  });

  it.each([
    ['GB29 NWBK 6016 1331 9268 19', true],
    ['DE89370400440532013000', true],
    ['AL47-2121-1009-0000-0002-3569-8741', true],
    ['GB29 NWBK 6016 1331 9268 10', false],
    ['DE89 3704 0044 0532 0130 01', false],
    ['XX89370400440532013000', false],
    ['DE8937040044053201300', false],
  ])('when IBAN %s then valid is %s', (value, expected) => {
    expect(isIban(value)).toBe(expected);
  });

  it.each([
    ['121000358', true],
    ['0711-0130-7', true],
    ['421042111', false],
    ['1234-0000-0', false],
    ['121000359', false],
  ])('when routing number %s then valid is %s', (value, expected) => {
    expect(isAbaRoutingNumber(value)).toBe(expected);
  });

  it.each([
    ['078-05-1123', true],
    ['078 05 1123', true],
    ['078051121', true],
    ['000-12-3456', false],
    ['666-12-3456', false],
    ['912-34-5678', false],
    ['078-00-1123', false],
    ['078-05-0000', false],
    ['078051120', false],
    ['693-09.4444', false],
    ['111-11-1111', false],
  ])('when SSN %s then valid is %s', (value, expected) => {
    expect(isUsSsn(value)).toBe(expected);
  });

  it.each([
    ['NWBKGB2L', true],
    ['DEUTDEFF500', true],
    ['BOFAUS3N', true],
    ['ABCDXX2L', false],
    ['NWBKGB2', false],
    ['nwbkgb2l', false],
  ])('when SWIFT %s then valid is %s', (value, expected) => {
    expect(isSwiftCode(value)).toBe(expected);
  });

  it.each([
    ['192.168.0.1', true],
    ['255.255.255.255', true],
    ['256.1.1.1', false],
    ['01.2.3.4', false],
    ['1.2.3', false],
  ])('when IPv4 %s then valid is %s', (value, expected) => {
    expect(isIpv4(value)).toBe(expected);
  });

  it.each([
    ['2001:db8::1', true],
    ['fe80::1ff:fe23:4567:890a', true],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', true],
    ['::ffff:192.0.2.128', true],
    ['2001:db8::1::2', false],
    ['12:30:45', false],
    ['2001:db8:zz::1', false],
  ])('when IPv6 %s then valid is %s', (value, expected) => {
    expect(isIpv6(value)).toBe(expected);
  });

  it('when a date cannot exist or is in the future then it is not a birth date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(isPlausibleBirthDate(1985, 3, 12, now)).toBe(true);
    expect(isPlausibleBirthDate(1985, 2, 30, now)).toBe(false);
    expect(isPlausibleBirthDate(2030, 1, 1, now)).toBe(false);
    expect(isPlausibleBirthDate(1850, 1, 1, now)).toBe(false);
  });

  it.each([
    ['SW1A 1AA', true],
    ['M1 1AE', true],
    ['EC1A1BB', true],
    ['QQ1 1AA', false],
    ['SW1A 1CI', false],
  ])('when UK postcode %s then valid is %s', (value, expected) => {
    expect(isUkPostcode(value)).toBe(expected);
  });
});
