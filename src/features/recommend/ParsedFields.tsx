import { useState, type ReactNode } from 'react';
import { useMessages, useT } from '../../app/i18n.ts';
import { readBmi } from '../../clinical/parse-record.ts';
import { CDRUGRED_FIELDS, TEXT_FIELDS, type CDrugRedField } from '../../clinical/record.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { recommendMessages } from './messages.ts';
import { fieldName, fill, parseMessages, sizeText } from './parse-messages.ts';

/**
 * A value longer than this is not put into an editable box until asked: laying out a few
 * hundred KB of text in textareas froze the page for many seconds after a 1 MB paste, far
 * longer than parsing it. The value is kept and used either way.
 */
const LONG_VALUE_CHARS = 20_000;

function LongValue({ field, chars, children }: { field: string; chars: number; children: ReactNode }) {
  const pm = useMessages(parseMessages);
  const locale = useUiStore((s) => s.locale);
  const [shown, setShown] = useState(false);
  if (shown || chars <= LONG_VALUE_CHARS) return <>{children}</>;
  return (
    <p className="hint" data-testid={`long-${field}`}>
      {fill(pm('longField'), { size: sizeText(chars, locale) })}{' '}
      <button type="button" onClick={() => setShown(true)} data-testid={`show-${field}`}>
        {pm('showAll')}
      </button>
    </p>
  );
}

const LONG_FIELDS: ReadonlySet<string> = new Set<string>([...TEXT_FIELDS, '出院诊断']);
/**
 * 出院带药列表 is the true label: it belongs to batch scoring, not to a screen that recommends
 * the discharge drugs (a clinician would be editing the answer key). The record keeps it.
 */
const SHOWN_FIELDS = CDRUGRED_FIELDS.filter((f) => f !== '出院带药列表');

function asText(field: CDrugRedField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(field === '出院诊断' ? '\n' : '；');
  return String(value);
}

/** Parsed fields, each editable; edits change the parsed record (the paste stays as typed). */
export function ParsedFields({ onDiscardEdits }: { onDiscardEdits: () => void }) {
  const t = useT();
  const m = useMessages(recommendMessages);
  const pm = useMessages(parseMessages);
  const locale = useUiStore((s) => s.locale);
  const parsed = useNoteStore((s) => s.parsed);
  const editField = useNoteStore((s) => s.editField);
  if (!parsed) return null;
  const { record, unrecognised } = parsed;
  const extra = Object.entries(record.其他 ?? {});

  const onEdit = (field: CDrugRedField, text: string) => {
    if (field === '出院诊断') {
      editField('出院诊断', text.split(/\n/).map((s) => s.trim()).filter((s) => s !== ''));
    } else if (field === 'BMI') {
      // The parser's own rule: a negative or implausible value is no BMI.
      editField('BMI', readBmi(text).bmi);
    } else {
      editField(field, text);
    }
  };

  return (
    <section className="panel" data-testid="parsed-fields" data-edited={parsed.edited}>
      <h2 className="panel-title">
        {t('parsedFields')}
        {parsed.edited && (
          <>
            {' '}
            <small className="badge" data-testid="fields-edited">
              {m('edited')}
            </small>{' '}
            <button type="button" onClick={onDiscardEdits} data-testid="discard-edits">
              {m('discardEdits')}
            </button>
          </>
        )}
      </h2>
      <p className="hint">{m('editHint')}</p>
      <table className="fields" key={parsed.parseId}>
        <thead>
          <tr>
            <th>{t('field')}</th>
            <th>{t('value')}</th>
          </tr>
        </thead>
        <tbody>
          {SHOWN_FIELDS.map((field) => {
            const value = asText(field, record[field]);
            return (
              <tr key={field} data-field={field}>
                <th scope="row">
                  <label htmlFor={`field-${field}`} title={field}>
                    {fieldName(field, locale)}
                  </label>
                </th>
                <td>
                  <LongValue field={field} chars={value.length}>
                    {LONG_FIELDS.has(field) ? (
                      <textarea
                        id={`field-${field}`}
                        data-testid={`field-${field}`}
                        defaultValue={value}
                        rows={Math.min(6, Math.max(1, Math.ceil(value.length / 40), value.split('\n').length))}
                        title={field === '出院诊断' ? m('diagnosesHint') : undefined}
                        onChange={(e) => onEdit(field, e.target.value)}
                      />
                    ) : (
                      <input
                        id={`field-${field}`}
                        data-testid={`field-${field}`}
                        defaultValue={value}
                        title={field === '就诊标识' ? pm('noteIdHint') : undefined}
                        onChange={(e) => onEdit(field, e.target.value)}
                      />
                    )}
                  </LongValue>
                </td>
              </tr>
            );
          })}
          {extra.map(([key, value]) => (
            <tr key={`extra-${key}`} data-field={`其他:${key}`}>
              <th scope="row">{key}</th>
              <td>
                <LongValue field={`其他:${key}`} chars={value.length}>
                  {value}
                </LongValue>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unrecognised.length > 0 && (
        <details open data-testid="unrecognised">
          <summary>{t('unrecognised')}</summary>
          {unrecognised.map((u, i) => (
            <p key={i}>{u}</p>
          ))}
        </details>
      )}
    </section>
  );
}
