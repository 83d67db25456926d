import { useT } from '../../app/i18n.ts';
import { CDRUGRED_FIELDS } from '../../clinical/record.ts';
import { useNoteStore } from '../../state/note-store.ts';

function display(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value)) return value.length ? value.join('；') : '—';
  const s = String(value);
  return s === '' ? '—' : s;
}

export function ParsedFields() {
  const t = useT();
  const parsed = useNoteStore((s) => s.parsed);
  if (!parsed) return null;
  const { record, unrecognised } = parsed;
  const extra = Object.entries(record.其他 ?? {});
  return (
    <section className="panel" data-testid="parsed-fields">
      <h2 className="panel-title">{t('parsedFields')}</h2>
      <table className="fields">
        <thead>
          <tr>
            <th>{t('field')}</th>
            <th>{t('value')}</th>
          </tr>
        </thead>
        <tbody>
          {CDRUGRED_FIELDS.map((field) => (
            <tr key={field} data-field={field}>
              <th scope="row">{field}</th>
              <td>{display(record[field])}</td>
            </tr>
          ))}
          {extra.map(([key, value]) => (
            <tr key={`extra-${key}`} data-field={`其他:${key}`}>
              <th scope="row">{key}</th>
              <td>{value}</td>
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
