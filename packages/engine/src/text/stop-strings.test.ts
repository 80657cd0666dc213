import { describe, expect, test } from 'vitest';
import { StopStringMatcher } from './stop-strings.ts';

/** Feed deltas; collect everything emitted (plus the flush when no stop matched). */
function run(stops: string[], deltas: string[], include = false) {
  const matcher = new StopStringMatcher(stops, { includeStopStringInOutput: include });
  const emits: string[] = [];
  let stopped: string | null = null;
  for (const delta of deltas) {
    const result = matcher.feed(delta);
    emits.push(result.emit);
    if (result.stopped) {
      stopped = result.stopped.stop;
      break;
    }
  }
  if (!stopped) emits.push(matcher.flush());
  return { text: emits.join(''), emits, stopped };
}

const chars = (s: string) => [...s];

describe('StopStringMatcher', () => {
  test('no stops: passes text through', () => {
    expect(run([], ['a', 'b']).emits).toEqual(['a', 'b', '']);
  });

  test('stops before the stop string, across any split of the deltas', () => {
    const full = 'Hello world. END tail';
    for (let i = 0; i <= full.length; i++) {
      for (let j = i; j <= full.length; j++) {
        const deltas = [full.slice(0, i), full.slice(i, j), full.slice(j)];
        expect(run(['END'], deltas)).toMatchObject({ text: 'Hello world. ', stopped: 'END' });
        expect(run(['END'], deltas, true)).toMatchObject({ text: 'Hello world. END', stopped: 'END' });
      }
    }
  });

  test('holds back a partial match and never takes text back', () => {
    const matcher = new StopStringMatcher(['</stop>']);
    expect(matcher.feed('abc</st')).toEqual({ emit: 'abc', stopped: null });
    expect(matcher.feed('ep')).toEqual({ emit: '</step', stopped: null });
    expect(matcher.feed('</')).toEqual({ emit: '', stopped: null });
    expect(matcher.feed('stop> more')).toEqual({ emit: '', stopped: { stop: '</stop>' } });
    expect(matcher.feed('ignored')).toEqual({ emit: '', stopped: { stop: '</stop>' } });
  });

  test('flush releases held text when generation ends without a stop', () => {
    const matcher = new StopStringMatcher(['STOP']);
    expect(matcher.feed('abc ST').emit).toBe('abc ');
    expect(matcher.flush()).toBe('ST');
    expect(matcher.flush()).toBe('');
  });

  test('holds back only what could still match, at most maxStopLength - 1', () => {
    const matcher = new StopStringMatcher(['abcdef', 'xy']);
    expect(matcher.feed('zzabcde').emit).toBe('zz');
    expect(matcher.feed('Q').emit).toBe('abcdeQ');
    expect(matcher.feed('x').emit).toBe('');
    expect(matcher.feed('x').emit).toBe('x');
  });

  test('self-overlapping stop strings', () => {
    expect(run(['aab'], chars('xaaab!'))).toMatchObject({ text: 'xa', stopped: 'aab' });
    expect(run(['abab'], chars('abacababab'))).toMatchObject({ text: 'abac', stopped: 'abab' });
  });

  test('earliest match wins; longest on a tie', () => {
    expect(run(['world', 'o w'], ['hello world'])).toMatchObject({ text: 'hell', stopped: 'o w' });
    expect(run(['ab', 'abc'], ['xabcd'])).toMatchObject({ text: 'x', stopped: 'abc' });
    expect(run(['ab', 'abc'], ['xabcd'], true)).toMatchObject({ text: 'xabc', stopped: 'abc' });
  });

  test('include mode emits partial matches right away', () => {
    const matcher = new StopStringMatcher(['END'], { includeStopStringInOutput: true });
    expect(matcher.feed('xE').emit).toBe('xE');
    expect(matcher.feed('N')).toEqual({ emit: 'N', stopped: null });
    expect(matcher.feed('D!')).toEqual({ emit: 'D', stopped: { stop: 'END' } });
  });

  test('multi-unit characters stay whole', () => {
    expect(run(['🛑'], ['ok 🌍', ' 🛑 x'])).toMatchObject({ text: 'ok 🌍 ', stopped: '🛑' });
    const matcher = new StopStringMatcher(['🌍🛑']);
    expect(matcher.feed('a🌍').emit).toBe('a');
    expect(matcher.feed('b').emit).toBe('🌍b');
  });

  test('empty stop strings are ignored', () => {
    expect(run([''], ['abc'])).toMatchObject({ text: 'abc', stopped: null });
  });
});
