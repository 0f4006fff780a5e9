import {
  generateScenario,
  poolScenarios,
  type Scenario,
  type ScenarioSpec,
} from "./generate_scenario.ts";

/**
 * The scenario fixtures, as generator specs. Every actor with its
 * own toolchain has its own JA3/HASSH; scanners run stock tools (shared
 * JA3 or shared HASSH, never both), the same wordlists and hosting ASNs.
 */
export const SCENARIO_SPECS: Readonly<Record<string, ScenarioSpec>> = {
  "lone wolf among 8 noise scanners": {
    seed: 11,
    prefix: "wolf/",
    firstAddress: 1000,
    scanners: 8,
    actors: [{
      name: "wolf",
      campaign: "wolf",
      days: [0, 1, 2],
      typing: true,
      toolchain: { tools: ["nmap", "hydra", "implant-a"], ja3: true, hassh: true },
      phases: [
        { day: 0, phases: ["reconnaissance", "initial_access"], targets: ["web01"] },
        { day: 1, phases: ["persistence", "command_and_control"], targets: ["web01"] },
      ],
      payloads: ["implant"],
      c2: ["beacon"],
      wordlist: "common-top100",
    }],
  },
  "two unrelated campaigns with the same wordlist": {
    seed: 12,
    prefix: "wordlist/",
    firstAddress: 2000,
    start: "2026-04-06T00:00:00Z",
    actors: ["red", "blue"].flatMap((team) =>
      [1, 2].map((k) => ({
        name: `${team}${k}`,
        campaign: team,
        addresses: 2,
        rotation: "rotating" as const,
        days: [0, 1, 2, 3],
        hours: [8, 18] as const,
        typing: true,
        toolchain: { tools: ["hydra", "curl"], ja3: true, hassh: true },
        phases: [{
          day: 1,
          phases: ["reconnaissance", "initial_access", "persistence"],
          targets: ["mail01", "web01"],
        }],
        payloads: ["miner", "loader"],
        c2: ["pool"],
        wordlist: "rockyou-top",
      }))
    ),
  },
  "one actor over 5 VPN addresses": {
    seed: 13,
    prefix: "vpn/",
    firstAddress: 3000,
    start: "2026-05-04T00:00:00Z",
    scanners: 3,
    actors: [{
      name: "hopper",
      campaign: "hopper",
      addresses: 5,
      rotation: "rotating",
      asnPerAddress: true,
      days: [0, 1, 2, 3, 4, 5, 6],
      hours: [13, 23],
      toolchain: { tools: ["impacket", "ssh"], ja3: true, hassh: true },
      phases: [{
        day: 2,
        phases: ["initial_access", "discovery"],
        targets: 2,
        tools: ["secretsdump"],
      }],
      wordlist: "rockyou-top",
    }],
  },
  "a campaign pausing weeks between active days": {
    seed: 14,
    prefix: "pause/",
    firstAddress: 4000,
    start: "2026-06-01T00:00:00Z",
    scanners: 3,
    actors: [1, 2].map((k) => ({
      name: `op${k}`,
      campaign: "sleeper",
      addresses: 3,
      days: [0, 1, 22, 23, 51],
      hours: k === 1 ? [6, 12] as const : [14, 20] as const,
      toolchain: { tools: [`kit${k}`], ja3: true, hassh: true },
      phases: [{ day: 22, phases: ["execution", "collection"], targets: ["db01"] }],
      payloads: ["wiper", "stager"],
      c2: ["relay"],
    })),
  },
  "two operators sharing C2, payloads and a handoff": {
    seed: 15,
    prefix: "handoff/",
    firstAddress: 5000,
    start: "2026-07-06T00:00:00Z",
    scanners: 3,
    actors: [
      {
        name: "breacher",
        campaign: "duo",
        addresses: 2,
        rotation: "rotating",
        days: [0],
        hours: [8, 16],
        toolchain: { tools: ["implant-b"], ja3: true, hassh: true },
        phases: [{
          day: 0,
          phases: ["reconnaissance", "initial_access", "persistence", "command_and_control"],
          targets: ["dc01"],
          tools: ["nmap", "sqlmap"],
        }],
        payloads: ["stager", "implant"],
        c2: ["beacon"],
      },
      {
        name: "operator",
        campaign: "duo",
        addresses: 2,
        days: [0, 1],
        hours: [20, 4],
        typing: true,
        toolchain: { tools: ["powershell"], ja3: true, hassh: true },
        phases: [
          {
            day: 0,
            phases: ["discovery", "lateral_movement", "collection"],
            targets: ["dc01"],
            tools: ["bloodhound", "psexec"],
          },
          { day: 1, phases: ["exfiltration"], targets: ["files01"], tools: ["rclone"] },
        ],
        payloads: ["implant", "exfil"],
        c2: ["beacon", "drop"],
      },
    ],
  },
  "a 90-day slow burn in three windows": {
    seed: 16,
    prefix: "burn/",
    firstAddress: 6000,
    start: "2026-08-03T00:00:00Z",
    scanners: 3,
    actors: [{
      name: "patient",
      campaign: "patient",
      addresses: 3,
      asnPerAddress: true,
      days: [0, 1, 2, 41, 42, 43, 87, 88, 89],
      sessionsPerDay: 1,
      sessionMinutes: [5, 15],
      hours: [2, 5],
      typing: true,
      toolchain: { tools: ["custom-loader"], ja3: true, hassh: true },
      phases: [
        { day: 0, phases: ["reconnaissance"], targets: ["jump01"] },
        { day: 41, phases: ["initial_access", "persistence"], targets: ["jump01"] },
        { day: 88, phases: ["collection", "exfiltration"], targets: ["files01"], tools: ["7z"] },
      ],
      payloads: ["loader"],
      c2: ["dead-drop"],
    }],
  },
};

/** Every fixture generated, plus the composite noise floor: all of them and 10 more scanners. */
export function scenarioFixtures(): Map<string, Scenario> {
  const fixtures = new Map(
    Object.entries(SCENARIO_SPECS).map(([name, spec]) => [name, generateScenario(spec)]),
  );
  const floor = generateScenario({
    seed: 17,
    prefix: "floor/",
    firstAddress: 7000,
    actors: [],
    scanners: 10,
    scannerDays: 120,
  });
  fixtures.set("composite noise floor", poolScenarios([...fixtures.values(), floor]));
  return fixtures;
}
