/**
 * How the clinician screen and the print sheet word what sits next to a drug in the current
 * language: the formulary's class, notes and citations (English from clinical/formulary-en.ts),
 * the note's own statements (clinical/note-statement.ts), record field names, and the
 * punctuation around them (full-width in Chinese only). Data stays as written and is marked
 * lang="zh-CN": drug names, the note's words, and any formulary text the English table lacks
 * (a site's own list), so a reader (and the locale test) can tell data from the app's words.
 */
import { Fragment, useMemo, type ReactNode } from 'react';
import { formularyEnglish, type FormularyTextKind } from '../../clinical/formulary-en.ts';
import { statementParts, type NoteStatement } from '../../clinical/note-statement.ts';
import { useUiStore, type Locale } from '../../state/ui-store.ts';
import { fieldName } from './parse-messages.ts';

/** Chinese data, marked as such. */
export function Zh({ children }: { children: ReactNode }) {
  return <span lang="zh-CN">{children}</span>;
}

export interface DrugText {
  locale: Locale;
  /** "：" or ": ". */
  colon: string;
  /** A list separator: "、" or ", ". */
  sep: string;
  /** "（x）" or " (x)". */
  paren: (x: ReactNode) => ReactNode;
  /** The note's words, quoted: 「…」 or “…”. */
  quote: (text: string) => ReactNode;
  /** A record field's name ("现病史" / "present illness"). */
  field: (field: string) => string;
  /** A formulary text (class, note, citation, dose, dose note) in the current language. */
  formulary: (kind: FormularyTextKind, zh: string) => ReactNode;
  /** A plain-string version of `formulary` (for exports and attributes). */
  formularyString: (kind: FormularyTextKind, zh: string) => string;
  /** A warning's or withheld drug's explanation: the note's statement when it has one, else the formulary's note. */
  explanation: (x: { note: string; statement?: NoteStatement | undefined }) => ReactNode;
}

export function drugText(locale: Locale): DrugText {
  const en = locale === 'en';
  const formularyString = (kind: FormularyTextKind, zh: string) => (en ? (formularyEnglish(kind, zh) ?? zh) : zh);
  const formulary = (kind: FormularyTextKind, zh: string): ReactNode => {
    const english = en ? formularyEnglish(kind, zh) : null;
    return english ?? <Zh>{zh}</Zh>;
  };
  return {
    locale,
    colon: en ? ': ' : '：',
    sep: en ? ', ' : '、',
    paren: (x) => (en ? <> ({x})</> : <>（{x}）</>),
    quote: (text) => (en ? <>“<Zh>{text}</Zh>”</> : <>「<Zh>{text}</Zh>」</>),
    field: (f) => fieldName(f, locale),
    formulary,
    formularyString,
    explanation: (x) =>
      x.statement ? (
        <>
          {statementParts(x.statement, locale).map((p, i) => (
            <Fragment key={i}>{p.data ? <Zh>{p.text}</Zh> : p.text}</Fragment>
          ))}
        </>
      ) : (
        formulary('notes', x.note)
      ),
  };
}

export function useDrugText(): DrugText {
  const locale = useUiStore((s) => s.locale);
  return useMemo(() => drugText(locale), [locale]);
}
