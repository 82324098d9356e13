import { describe, expect, it } from 'vitest';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';

// openspec/changes/plain-notices — words a person in a crisis understands, outside "Details"
/** Notices shown on a screen itself (not under Details) that once used technical words. */
const SHOWN = ['carry.hint', 'hubs.hint', 'status.rejected', 'status.rejected.one', 'settings.rejectedHelp', 'agents.recorded', 'form.photoCleaned', 'alerts.notifyWhy'] as const;
const JARGON = { en: /\b(seal(ed)?|records?|feed|signature|rejected|metadata|EXIF|GPS)\b/i, es: /\b(sellad[oa]s?|registros?|historial|firma|rechazad[oa]s?|metadatos|EXIF|GPS)\b/i };

describe('plain words', () => {
  it('Scenario: the notices people see outside Details say it in plain words, in English and Spanish', () => {
    for (const key of SHOWN) {
      expect(en[key], key).not.toMatch(JARGON.en);
      expect(es[key], key).not.toMatch(JARGON.es);
    }
    expect(en['agents.recorded']).toBe('Saved.');
    expect(en['status.rejected']).toBe('{n} changes we could not trust were set aside');
  });

  it('Scenario: a message notification says who wrote and nothing of what', () => {
    expect(en['messages.notifyTitle']).toBe('New message from {name}');
    for (const dict of [en, es]) expect(dict['messages.notifyBody']).not.toMatch(/\{/); // no placeholder: nothing of the message
  });
});
