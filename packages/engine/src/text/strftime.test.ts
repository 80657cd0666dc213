import { expect, test } from 'vitest';
import { strftime } from './strftime.ts';

test('strftime: Python directives with English names', () => {
  const date = new Date(2024, 6, 26, 9, 5, 3); // local time, a Friday
  expect(strftime(date, '%d %b %Y')).toBe('26 Jul 2024');
  expect(strftime(date, '%A %B %-d %e')).toBe('Friday July %-d 26');
  expect(strftime(date, '%a %y-%m-%d %H:%M:%S %I%p %j %%')).toBe('Fri 24-07-26 09:05:03 09AM 208 %');
  expect(strftime(new Date(2024, 0, 1, 15), '%I %p %j')).toBe('03 PM 001');
});
