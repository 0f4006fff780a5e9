import type { JSX } from "preact";
import type { ActivityHour } from "./overview_data.ts";

/** A small SVG bar chart of orchestrator events per hour (failures stacked in red). */
export function ActivityChart(p: { hours: ActivityHour[] }): JSX.Element {
  const width = 960;
  const height = 150;
  const base = height - 16;
  const max = Math.max(1, ...p.hours.map((h) => h.ok + h.failed));
  const step = width / p.hours.length;
  const total = p.hours.reduce((n, h) => n + h.ok + h.failed, 0);
  const failed = p.hours.reduce((n, h) => n + h.failed, 0);
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Orchestrator events per hour over the last ${p.hours.length} hours: ${total} in total, ${failed} failed`}
      >
        {p.hours.map((h, i) => {
          const okH = (h.ok / max) * (base - 4);
          const failH = (h.failed / max) * (base - 4);
          const x = i * step + 1;
          return (
            <g key={h.hour}>
              <title>{`${h.hour.slice(11, 16)} UTC: ${h.ok} ok, ${h.failed} failed`}</title>
              <rect class="bar" x={x} y={base - okH} width={step - 2} height={okH} />
              <rect
                class="bar fail"
                x={x}
                y={base - okH - failH}
                width={step - 2}
                height={failH}
              />
              {i % 6 === 0 && <text x={x} y={height - 3}>{h.hour.slice(11, 16)}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{total} events in {p.hours.length} h, {failed} failed</figcaption>
    </figure>
  );
}
