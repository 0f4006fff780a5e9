import type { JSX } from "preact";

/** What each fingerprint kind is called on a page. */
const KIND_LABELS: Record<string, string> = {
  ja3: "JA3",
  hassh: "HASSH",
  tools: "Tools",
  asns: "Networks",
  c2: "Endpoints named",
  payload_hashes: "Payloads",
  phases: "Kill chain phases",
  deckies: "Deckies",
};

/** The label of a fingerprint kind (`ja3` -> "JA3"); unknown kinds show as they are. */
export function fingerprintLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** Fingerprint sets as a definition list, one kind per row (attacker-sent text, escaped). */
export function FingerprintFacts(p: { fingerprints: Record<string, string[]> }): JSX.Element {
  const kinds = Object.keys(p.fingerprints).filter((k) => p.fingerprints[k].length > 0);
  if (kinds.length === 0) return <p class="empty">No fingerprint recorded.</p>;
  return (
    <dl class="facts" data-testid="fingerprints">
      {kinds.map((kind) => [
        <dt key={`${kind}-t`}>{fingerprintLabel(kind)}</dt>,
        <dd key={`${kind}-d`}>
          {p.fingerprints[kind].map((v, i) => [i > 0 ? ", " : "", <code key={v}>{v}</code>])}
        </dd>,
      ])}
    </dl>
  );
}
