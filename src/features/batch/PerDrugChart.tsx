import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat, useMessages } from '../../app/i18n.ts';
import type { DrugStats } from '../../clinical/metrics.ts';
import { batchMessages } from './messages.ts';

/** Support (line, right axis) and precision / recall (bars, left axis) of the most-supported drugs. */
export function PerDrugChart({ drugs }: { drugs: readonly DrugStats[] }) {
  const m = useMessages(batchMessages);
  const fmt = useFormat();
  const data = drugs.map((d) => ({
    name: d.name,
    precision: Math.round(d.precision * 1000) / 1000,
    recall: Math.round(d.recall * 1000) / 1000,
    support: d.support,
  }));
  return (
    <figure className="panel" data-testid="batch-chart" data-drugs={drugs.length} style={{ margin: '12px 0' }}>
      <figcaption className="panel-title">{m('perDrug')}</figcaption>
      <div className="batch-chart" style={{ width: '100%', height: 340 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} angle={-45} textAnchor="end" height={90} tick={{ fontSize: 12 }} />
            <YAxis yAxisId="rate" domain={[0, 1]} tick={{ fontSize: 12 }} />
            <YAxis yAxisId="support" orientation="right" allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend verticalAlign="top" />
            <Bar yAxisId="rate" dataKey="precision" name={m('precision')} fill="#1f6feb" isAnimationActive={false} />
            <Bar yAxisId="rate" dataKey="recall" name={m('recall')} fill="#2da44e" isAnimationActive={false} />
            <Line yAxisId="support" dataKey="support" name={m('support')} stroke="#bf8700" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>{m('perDrug')}</summary>
        <div className="batch-table-wrap">
          <table className="batch-table" data-testid="batch-per-drug">
            <thead>
              <tr>
                <th>{m('drug')}</th>
                <th>{m('support')}</th>
                <th>{m('precision')}</th>
                <th>{m('recall')}</th>
              </tr>
            </thead>
            <tbody>
              {drugs.map((d) => (
                <tr key={d.name} data-drug={d.name}>
                  <td lang="zh-CN">{d.name}</td>
                  <td className="num">{fmt.number(d.support)}</td>
                  <td className="num">{fmt.number(d.precision, 3)}</td>
                  <td className="num">{fmt.number(d.recall, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
