import { describe, expect, it } from 'vitest';
import { Formulary } from './formulary.ts';
import { FORMULARY_EN, formularyEnglish } from './formulary-en.ts';
import { USUAL_DOSES } from './dose.ts';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const f = Formulary.bundled();

/** Every text of `kind` the bundled files use that has no English wording. */
function missing(kind: Parameters<typeof formularyEnglish>[0], texts: Iterable<string>): string[] {
  return [...new Set(texts)].filter((t) => formularyEnglish(kind, t) === null);
}

describe('formulary-en.json covers every Chinese text the formulary shows beside a drug', () => {
  it('every class of the bundled formulary', () => {
    expect(missing('classes', f.drugs.map((d) => d.class))).toEqual([]);
  });

  it('every contraindication and interaction note', () => {
    const notes = f.drugs.flatMap((d) => [...(d.contraindications ?? []), ...(d.interactions ?? [])].map((x) => x.note));
    expect(notes.length).toBeGreaterThan(500);
    expect(missing('notes', notes)).toEqual([]);
  });

  it('every Chinese citation of the formulary and the usual-dose table', () => {
    const cites = [...f.sources, ...USUAL_DOSES.sources].map((s) => s.citation).filter((c) => CJK.test(c));
    expect(cites.length).toBeGreaterThan(5);
    expect(missing('citations', cites)).toEqual([]);
  });

  it('every usual-dose note, and every dose written with Chinese words', () => {
    expect(missing('doseNotes', USUAL_DOSES.doses.flatMap((d) => (d.note ? [d.note] : [])))).toEqual([]);
    expect(missing('doses', USUAL_DOSES.doses.map((d) => d.dose).filter((x) => CJK.test(x)))).toEqual([]);
  });

  it('the English is English: no Chinese characters, no empty entries, and no stale keys', () => {
    const used = {
      classes: new Set(f.drugs.map((d) => d.class)),
      notes: new Set(f.drugs.flatMap((d) => [...(d.contraindications ?? []), ...(d.interactions ?? [])].map((x) => x.note))),
      citations: new Set([...f.sources, ...USUAL_DOSES.sources].map((s) => s.citation)),
      doses: new Set(USUAL_DOSES.doses.map((d) => d.dose)),
      doseNotes: new Set(USUAL_DOSES.doses.flatMap((d) => (d.note ? [d.note] : []))),
    };
    for (const kind of ['classes', 'notes', 'citations', 'doses', 'doseNotes'] as const) {
      for (const [zh, en] of Object.entries(FORMULARY_EN[kind])) {
        expect(en.trim(), `${kind}: ${zh}`).not.toBe('');
        expect(CJK.test(en), `${kind}: ${en}`).toBe(false);
        expect(used[kind].has(zh), `${kind}: "${zh}" is no longer used`).toBe(true);
      }
    }
  });

  it('a text the table does not know has no English (the screen then shows it as written)', () => {
    expect(formularyEnglish('classes', '某站点自有类别')).toBeNull();
    expect(formularyEnglish('classes', 'toString')).toBeNull();
    expect(formularyEnglish('classes', '双胍类')).toBe('biguanide');
  });
});
