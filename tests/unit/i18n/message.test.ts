import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';
import { message } from '../../../src/app/i18n/message.ts';

// openspec/specs/pwa-install — one i18n layer with plural rules and the language's number formats
const say = (lang: 'en' | 'es', key: string, params: Record<string, string | number> = {}) => message(lang === 'en' ? en : es, en, lang, key, params);

describe('messages', () => {
  it('Scenario: counts take the plural form of the language: "1 change", "1 minuto"', () => {
    expect(say('en', 'status.pending', { n: 1 })).toBe('1 change waiting to sync');
    expect(say('en', 'status.pending', { n: 2 })).toBe('2 changes waiting to sync');
    expect(say('en', 'status.pending', { n: 0 })).toBe('0 changes waiting to sync');
    expect(say('es', 'lock.minutes', { n: 1 })).toBe('1 minuto');
    expect(say('es', 'lock.minutes', { n: 15 })).toBe('15 minutos');
    expect(say('es', 'messages.unread', { n: 1 })).toBe('1 nuevo');
    expect(say('en', 'status.bridgeLast', { n: 1, when: 'yesterday' })).toBe('Last news from nearby communities yesterday · 1 change arrived');
  });

  it('Scenario: numbers are written as the language writes them, and years stay as typed', () => {
    expect(say('en', 'status.pending', { n: 12345 })).toBe('12,345 changes waiting to sync');
    expect(say('es', 'status.pending', { n: 12345 })).toBe('12.345 cambios por sincronizar');
    expect(say('en', 'decisions.days', { n: 2026 })).toBe('2026 days'); // four digits are not grouped
  });

  it('Scenario: every number reads as the language\'s own number format writes it, small or large', () => {
    // Small whole numbers skip Intl (its first use costs a slow phone ~0.3 s on the first list): same text.
    const num = fc.oneof(fc.constant(-0), fc.integer({ min: -20_000, max: 20_000 }), fc.double({ min: -1e7, max: 1e7, noNaN: true }));
    fc.assert(
      fc.property(fc.constantFrom<'en' | 'es'>('en', 'es'), num, (lang, v) => {
        const written = new Intl.NumberFormat(lang, { useGrouping: 'min2' } as Intl.NumberFormatOptions).format(v);
        expect(message({ x: 'v={v}' }, {}, lang, 'x', { v })).toBe(`v=${written}`);
      }),
    );
  });

  it('Scenario: a missing form, key or placeholder never breaks a screen', () => {
    expect(message({ 'x.one': 'one x' }, {}, 'en', 'x', { n: 1 })).toBe('one x'); // a form without its general key
    expect(message({}, { x: '{n} things' }, 'es', 'x', { n: 1 })).toBe('1 things'); // falls back to English
    expect(message({}, {}, 'en', 'error.fromNewerPeer')).toBe('error.fromNewerPeer');
    expect(message({ x: 'hi {name}' }, {}, 'en', 'x')).toBe('hi {name}');
    fc.assert(
      fc.property(fc.constantFrom('en', 'es'), fc.constantFrom(...Object.keys(en)), fc.oneof(fc.integer(), fc.double()), (lang, key, n) => {
        expect(typeof message(lang === 'en' ? en : es, en, lang, key, { n, name: 'Ana', when: 'now', date: 'today' })).toBe('string');
      }),
    );
  });

  it('Scenario: every plural form belongs to a message both languages have', () => {
    for (const dict of [en, es] as Array<Record<string, string>>)
      for (const k of Object.keys(dict).filter((k) => /\.(zero|one|two|few|many)$/.test(k))) expect(dict[k.replace(/\.\w+$/, '')], k).toBeDefined();
  });
});
