/**
 * What the note itself says against a drug, when that (not a formulary fact) is why it is
 * withheld or warned about: "不用X", "停用X", "X不耐受", "对X过敏". Kept as data next to the
 * Chinese sentence so the screen can word it in either language; this module is the one place
 * both wordings live.
 */
export type NoteStatement =
  /** The note says not to use it ("不选用非布司他"); `quote` is the note's clause. */
  | { kind: 'avoid'; drug: string; quote: string }
  /** The note defers the decision to start it ("3月后复查血脂再决定是否启用贝特类"); `quote` is the note's clause. */
  | { kind: 'defer'; drug: string; quote: string }
  /** The note plans a stronger drug of its class ("改为高强度他汀"), which this one does not reach; `quote` is the note's clause. */
  | { kind: 'superseded'; drug: string; quote: string }
  /** The note stopped it and never restarted it. */
  | { kind: 'stopped'; drug: string }
  | { kind: 'intolerance'; drug: string }
  /** An allergy (or an adverse reaction) the note states to the drug itself. */
  | { kind: 'allergy'; substance: string; reaction?: string };

/**
 * A piece of the sentence: the app's words, or the note's own (`data`: drug names and the note's
 * words, which stay as written in either language, so a screen can mark them as Chinese text).
 */
export interface StatementPart {
  text: string;
  data?: true;
}

const d = (text: string): StatementPart => ({ text, data: true });
const w = (text: string): StatementPart => ({ text });

/** The statement as a sentence, in parts. Drug names and the note's words stay as written. */
export function statementParts(s: NoteStatement, locale: 'zh' | 'en'): StatementPart[] {
  if (locale === 'zh') {
    switch (s.kind) {
      case 'avoid':
        return [w('病历写明不用'), d(s.drug), w('（'), d(s.quote), w('）')];
      case 'defer':
        return [w('病历写明暂不启用'), d(s.drug), w('，以后再定（'), d(s.quote), w('）')];
      case 'superseded':
        return [w('病历计划换药（'), d(s.quote), w('），新方案不含'), d(s.drug)];
      case 'stopped':
        return [w('病历记载已停用'), d(s.drug), w('，此后未再恢复')];
      case 'intolerance':
        return [w('病历记载'), d(s.drug), w('不耐受')];
      case 'allergy':
        return s.reaction ? [w('病历记载使用'), d(s.substance), w('后出现'), d(s.reaction)] : [w('病历记载对'), d(s.substance), w('过敏')];
    }
  }
  switch (s.kind) {
    case 'avoid':
      return [w('The note says not to use '), d(s.drug), w(' (“'), d(s.quote), w('”)')];
    case 'defer':
      return [w('The note leaves '), d(s.drug), w(' for a later decision (“'), d(s.quote), w('”)')];
    case 'superseded':
      return [w('The note switches the regimen (“'), d(s.quote), w('”), and the new one leaves out '), d(s.drug)];
    case 'stopped':
      return [w('The note records that '), d(s.drug), w(' was stopped and not restarted')];
    case 'intolerance':
      return [w('The note records intolerance of '), d(s.drug)];
    case 'allergy':
      return s.reaction ? [w('The note records '), d(s.reaction), w(' after '), d(s.substance)] : [w('The note records an allergy to '), d(s.substance)];
  }
}

/** The statement as one sentence (the `note` of a withheld drug or a warning is its Chinese one). */
export function statementText(s: NoteStatement, locale: 'zh' | 'en'): string {
  return statementParts(s, locale)
    .map((p) => p.text)
    .join('');
}
