import type { JSX } from "preact";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type {
  SequenceClass,
  TcpFingerprint,
  TcpProbe,
  TcpStackSnapshot,
} from "../../core/sniffer/mod.ts";

/** Props of {@linkcode TcpStackPanel}. */
export interface TcpStackPanelProps {
  /** The attacker's snapshot; null when the sniffer never saw it. */
  snapshot: TcpStackSnapshot | null;
  /** Its fingerprint changes, newest first. */
  history: { items: TcpFingerprint[]; total: number };
}

/**
 * A sequence class as a tag: zero and constant (hand-rolled raw-socket
 * tooling) stand out, incremental is amber, random (a modern stack) neutral.
 */
function SequenceTag(p: { cls: SequenceClass; samples: number; testId: string }): JSX.Element {
  return (
    <span
      class={`badge seq-${p.cls}`}
      data-testid={p.testId}
      title={`over the last ${p.samples} SYNs`}
    >
      {p.cls}
    </span>
  );
}

/**
 * The TCP STACK panel of the attacker page: OS guess, TTL and hops,
 * window/MSS/options, IP-ID and ISN classes, DSCP and ECN, the changes
 * the sniffer recorded, and the active prober's latest probe (when on).
 */
export function TcpStackPanel(p: TcpStackPanelProps): JSX.Element {
  const s = p.snapshot;
  return (
    <section class="card" aria-labelledby="tcp-stack-h" data-testid="tcp-stack">
      <h2 id="tcp-stack-h">TCP stack</h2>
      {s === null
        ? <p class="empty">No SYN from this address was fingerprinted.</p>
        : (
          <dl class="facts">
            <dt>OS guess</dt>
            <dd data-testid="os-guess">{s.os_guess}</dd>
            <dt>TTL</dt>
            <dd data-testid="ttl">
              {s.ttl} (initial {s.initial_ttl}, {s.hop_distance}{" "}
              hop{s.hop_distance === 1 ? "" : "s"})
            </dd>
            <dt>Window</dt>
            <dd>
              {s.window}
              {s.wscale === null ? "" : ` (scale ${s.wscale})`}
            </dd>
            <dt>MSS</dt>
            <dd>{s.mss ?? "-"}</dd>
            <dt>Options</dt>
            <dd>
              <code data-testid="tcp-options">{s.options === "" ? "none" : s.options}</code>
              {s.has_sack ? " SACK" : ""}
              {s.has_timestamps ? " timestamps" : ""}
            </dd>
            <dt>IP-ID</dt>
            <dd>
              <SequenceTag cls={s.ipid_class} samples={s.ipid_samples} testId="ipid-class" />
            </dd>
            <dt>ISN</dt>
            <dd>
              <SequenceTag cls={s.isn_class} samples={s.isn_samples} testId="isn-class" />
            </dd>
            <dt>DSCP / ECN</dt>
            <dd data-testid="dscp-ecn">
              DSCP {s.dscp}, ECN {s.ecn} (TOS {s.tos})
            </dd>
            <dt>SYNs</dt>
            <dd>
              {s.syn_count} SYNs, {s.transitions} change{s.transitions === 1 ? "" : "s"}, since{" "}
              {formatTime(s.first_seen)}
            </dd>
          </dl>
        )}
      {s?.probe && <ProbeTable probe={s.probe} />}
      {p.history.items.length > 0 && (
        <DataTable
          testId="tcp-history"
          columns={["Time", "To", "OS guess", "Options", "IP-ID", "ISN", "DSCP", "Repeats"]}
        >
          {p.history.items.map((e, i) => (
            <tr key={`${e.occurred_at}-${i}`}>
              <td>{formatTime(e.occurred_at)}</td>
              <td>
                {e.decky}:{e.dst_port}
              </td>
              <td>{e.os_guess}</td>
              <td>
                <code>{e.options === "" ? "none" : e.options}</code>
              </td>
              <td>
                <SequenceTag cls={e.ipid_class} samples={e.ipid_samples} testId="history-ipid" />
              </td>
              <td>
                <SequenceTag cls={e.isn_class} samples={e.isn_samples} testId="history-isn" />
              </td>
              <td>{e.dscp}</td>
              <td>{e.repeats}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** What the source's own ports answered the active prober's SYNs. */
function ProbeTable(p: { probe: TcpProbe }): JSX.Element {
  const { probe } = p;
  return (
    <>
      <h3>
        Probed from {probe.decky} at {formatTime(probe.occurred_at)}
      </h3>
      <DataTable
        testId="tcp-probe"
        columns={["Port", "Answer", "TTL", "Window", "MSS", "Options", "TOS", "ISN"]}
      >
        {probe.ports.map((port) => (
          <tr key={port.port} data-state={port.state}>
            <td>{port.port}</td>
            <td>{port.state}</td>
            <td>
              {port.ttl === null ? "-" : `${port.ttl} (initial ${port.initial_ttl})`}
            </td>
            <td>
              {port.window ?? "-"}
              {port.wscale === null ? "" : ` (scale ${port.wscale})`}
            </td>
            <td>{port.mss ?? "-"}</td>
            <td>
              <code>
                {port.options === null ? "-" : port.options === "" ? "none" : port.options}
              </code>
            </td>
            <td>{port.tos ?? "-"}</td>
            <td>{port.isn ?? "-"}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
