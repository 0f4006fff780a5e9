// Folder-private templates for user-written files (note, todo, draft, script).
import { domainFor, fillSlots, MONTHS, PEOPLE_NAMES, VENDORS } from "./_phrase_bank.ts";
import { chance, pickOne, pickSome, randInt } from "./_random.ts";
import { localWallClock } from "./_zoned_time.ts";
import type { HostFacts } from "./host_facts.ts";
import type { Persona } from "./persona.ts";

export interface UserBodyContext {
  readonly persona: Persona;
  readonly rand: () => number;
  readonly host: string;
  readonly login: string;
  readonly nowMs: number;
  /** The persona's zone (dates people write). */
  readonly timeZone: string;
  /** The decky's zone (syslog stamps). */
  readonly hostTimeZone: string;
  readonly path: string;
  readonly facts?: HostFacts;
}

function shortDate(ctx: UserBodyContext): string {
  const d = localWallClock(ctx.nowMs, ctx.timeZone);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

function isoDate(ctx: UserBodyContext): string {
  return localWallClock(ctx.nowMs, ctx.timeZone).toISOString().slice(0, 10);
}

/** Adjusts a phrase to the persona's tone. */
function toned(ctx: UserBodyContext, phrase: string): string {
  switch (ctx.persona.tone) {
    case "formal":
      return `${phrase[0].toUpperCase()}${phrase.slice(1)}.`;
    case "casual":
      return chance(ctx.rand, 0.3)
        ? `${phrase} ${pickOne(ctx.rand, ["lol", "ugh", "tbh", "!!", "(again)"])}`
        : phrase;
    case "direct":
      return phrase.replace(/^(please |maybe )/, "");
    case "technical":
      return chance(ctx.rand, 0.3)
        ? `${phrase} [${fillSlots("{ticket}", ctx.rand, ctx.host)}]`
        : phrase;
    default:
      return chance(ctx.rand, 0.5) ? `${phrase[0].toUpperCase()}${phrase.slice(1)}` : phrase;
  }
}

function phrases(ctx: UserBodyContext, kind: "tasks" | "facts", count: number): string[] {
  const bank = domainFor(ctx.persona.role);
  return pickSome(ctx.rand, bank[kind], count).map((t) =>
    toned(ctx, fillSlots(t, ctx.rand, ctx.host))
  );
}

export function noteBody(ctx: UserBodyContext): string {
  const { rand } = ctx;
  const bank = domainFor(ctx.persona.role);
  const topic = fillSlots(pickOne(rand, bank.topics), rand, ctx.host);
  const heading = pickOne(rand, [
    `# Notes ${shortDate(ctx)}`,
    `${topic}`,
    `## ${topic} (${shortDate(ctx)})`,
    `notes - ${isoDate(ctx)}`,
    "",
  ]);
  const bullet = ctx.persona.tone === "casual" ? pickOne(rand, ["- ", "* ", ""]) : "- ";
  const lines = phrases(ctx, "facts", randInt(rand, 2, 5)).map((f) => `${bullet}${f}`);
  if (chance(rand, 0.4)) {
    lines.push(`${bullet}${toned(ctx, fillSlots(pickOne(rand, bank.tasks), rand, ctx.host))}`);
  }
  if (chance(rand, 0.3)) {
    lines.push(
      "",
      pickOne(rand, ["follow up next week", "ask around", "see thread", "parked for now"]),
    );
  }
  return `${heading ? `${heading}\n\n` : ""}${lines.join("\n")}\n`;
}

export function todoBody(ctx: UserBodyContext): string {
  const { rand } = ctx;
  const heading = pickOne(rand, [
    "# TODO",
    "TODO",
    `# TODO (week of ${shortDate(ctx)})`,
    "## This week",
    "# tasks",
  ]);
  const items = phrases(ctx, "tasks", randInt(rand, 3, 7)).map((t) =>
    `- [${chance(rand, 0.3) ? "x" : " "}] ${t}`
  );
  return `${heading}\n\n${items.join("\n")}\n`;
}

export function todoItem(ctx: UserBodyContext, existing = ""): string {
  let item = phrases(ctx, "tasks", 1)[0];
  for (let i = 0; i < 5 && existing.includes(item); i++) item = phrases(ctx, "tasks", 1)[0];
  return `- [ ] ${item}`;
}

export function noteAddition(ctx: UserBodyContext): string {
  const { rand } = ctx;
  const head = pickOne(rand, [
    `\n${shortDate(ctx)}:`,
    `\n## Update ${shortDate(ctx)}`,
    "",
    "\nlater:",
  ]);
  const lines = phrases(ctx, "facts", randInt(rand, 1, 3)).map((f) => `- ${f}`);
  return `${head ? `${head}\n` : ""}${lines.join("\n")}\n`;
}

const DRAFT_TITLES = [
  "Proposal: {topic}",
  "DRAFT - {topic}",
  "{topic}: plan for next quarter",
  "Notes for the {topic} review",
  "Re: {topic}",
] as const;

export function draftBody(ctx: UserBodyContext): string {
  const { rand, persona } = ctx;
  const bank = domainFor(persona.role);
  const topic = fillSlots(pickOne(rand, bank.topics), rand, ctx.host);
  const title = pickOne(rand, DRAFT_TITLES).replace("{topic}", topic);
  const facts = phrases(ctx, "facts", randInt(rand, 3, 4));
  const tasks = phrases(ctx, "tasks", randInt(rand, 2, 3));
  const opener = pickOne(rand, [
    `This is a first pass at ${topic}. Comments welcome before ${
      pickOne(rand, ["Friday", "the review", "end of month"])
    }.`,
    `Background: ${facts[0]}`,
    `Summary: we need a decision on ${topic}.`,
    `${pickOne(rand, PEOPLE_NAMES)} asked me to write this up.`,
  ]);
  const parts = [
    `# ${title}`,
    "",
    opener,
    "",
    "## Context",
    "",
    ...facts.slice(1).map((f) => `- ${f}`),
    "",
    `## ${pickOne(rand, ["Proposal", "Next steps", "Plan", "Options"])}`,
    "",
    ...tasks.map((t, i) => `${i + 1}. ${t}`),
  ];
  if (chance(rand, 0.5)) {
    parts.push(
      "",
      pickOne(rand, [
        "TBD: costs",
        "TODO: numbers from finance",
        "(open question: timeline)",
        `TBD, check with ${pickOne(rand, PEOPLE_NAMES)}`,
      ]),
    );
  }
  if (persona.signature && chance(rand, 0.3)) parts.push("", persona.signature);
  return `${parts.join("\n")}\n`;
}

export function draftAddition(ctx: UserBodyContext): string {
  const { rand } = ctx;
  return `\n${
    pickOne(rand, ["## Open questions", "## Update", "## Risks", `## Notes ${shortDate(ctx)}`])
  }\n\n${
    phrases(ctx, rand() < 0.5 ? "facts" : "tasks", randInt(rand, 1, 3)).map((f) => `- ${f}`).join(
      "\n",
    )
  }\n`;
}

export function scriptBody(ctx: UserBodyContext): string {
  const { rand, login, host } = ctx;
  const python = ctx.path.endsWith(".py") || (!ctx.path.endsWith(".sh") && chance(rand, 0.3));
  if (python) {
    const inFile = pickOne(rand, [
      "export.csv",
      "report.csv",
      "users.csv",
      "invoices.csv",
      "hosts.txt",
    ]);
    const column = pickOne(rand, ["email", "id", "hostname", "amount", "name"]);
    const shebang = pickOne(rand, ["#!/usr/bin/env python3", "#!/usr/bin/python3"]);
    const body = pickOne(rand, [
      `import csv\nimport sys\n\n\ndef main(path="${inFile}"):\n    seen = set()\n    with open(path, newline="") as f:\n        for row in csv.DictReader(f):\n            key = row["${column}"].strip().lower()\n            if key in seen:\n                print("dup:", key)\n            seen.add(key)\n    print(len(seen), "unique")\n\n\nif __name__ == "__main__":\n    main(*sys.argv[1:])\n`,
      `import os\nimport shutil\n\nSRC = "/home/${login}/${
        pickOne(rand, ["Downloads", "Documents", "tmp"])
      }"\nDST = "/home/${login}/archive"\n\nfor name in os.listdir(SRC):\n    if name.endswith((".${
        pickOne(rand, ["pdf", "csv", "log", "zip"])
      }",)):\n        shutil.move(os.path.join(SRC, name), DST)\n        print("moved", name)\n`,
      `import subprocess\n\nHOSTS = [${
        pickSome(
          rand,
          [host, "fileserver", "printer01", "nas", "gw", "build01"],
          randInt(rand, 2, 4),
        ).map((h) => `"${h}"`).join(", ")
      }]\n\nfor h in HOSTS:\n    r = subprocess.run(["ping", "-c", "1", "-W", "${
        randInt(rand, 1, 3)
      }", h], capture_output=True)\n    print(h, "ok" if r.returncode == 0 else "DOWN")\n`,
      `# quick fix for the ${
        pickOne(rand, ["encoding", "date format", "trailing spaces", "duplicate rows"])
      } in ${inFile}\nimport sys\n\nfor line in open("${inFile}", encoding="${
        pickOne(rand, ["utf-8", "latin-1"])
      }"):\n    sys.stdout.write(line.rstrip() + "\\n")\n`,
    ]);
    return `${shebang}\n${body}`;
  }
  const shebang = pickOne(rand, ["#!/bin/bash", "#!/usr/bin/env bash", "#!/bin/sh"]);
  const days = randInt(rand, 3, 60);
  const dir = pickOne(rand, ["Documents", "projects", "work", "src", ".config"]);
  const body = pickOne(rand, [
    `set -e\nDEST=/mnt/${
      pickOne(rand, ["backup", "nas", "usb"])
    }/${host}\nmkdir -p "$DEST"\ntar czf "$DEST/${login}-$(date +%F).tgz" -C /home/${login} ${dir}\nfind "$DEST" -name '*.tgz' -mtime +${days} -delete\n`,
    `# clean old temp files\nfind /home/${login}/${
      pickOne(rand, ["tmp", "Downloads", ".cache"])
    } -type f -mtime +${days} -print -delete\n`,
    `rsync -a${pickOne(rand, ["v", "z", "vz", ""])} --delete /home/${login}/${dir}/ ${
      pickOne(rand, ["nas", "fileserver", "backup01"])
    }:/srv/backup/${login}/${dir}/\n`,
    `THRESH=${
      randInt(rand, 70, 95)
    }\ndf -h --output=pcent,target | tail -n +2 | while read pct mnt; do\n  n=\${pct%\\%}\n  [ "$n" -ge "$THRESH" ] && echo "$mnt at $pct on ${host}"\ndone\n`,
    `for f in /var/log/${pickOne(rand, ["app", "nginx", "myapp"])}/*.log; do\n  gzip -${
      randInt(rand, 1, 9)
    } "$f" && mv "$f.gz" /var/log/archive/\ndone\n`,
    `# ${pickOne(rand, ["deploy", "push", "update"])} the ${
      pickOne(rand, ["portal", "wiki", "dashboard", "reports"])
    }\ncd /home/${login}/projects/${
      pickOne(rand, ["portal", "wiki", "dashboard", "reports"])
    }\ngit pull --ff-only\n${pickOne(rand, ["make", "npm ci && npm run build", "./build.sh"])}\n`,
  ]);
  return `${shebang}\n${
    chance(rand, 0.4) ? `# ${pickOne(rand, [login, "me"])}, ${shortDate(ctx)}\n` : ""
  }${body}`;
}

export function scriptAddition(ctx: UserBodyContext): string {
  const { rand } = ctx;
  const python = ctx.path.endsWith(".py");
  return python
    ? pickOne(rand, [
      `# TODO: handle ${
        pickOne(rand, ["empty rows", "unicode names", "the header line", "missing files"])
      }\n`,
      `# ${shortDate(ctx)}: ${
        pickOne(rand, [
          "works on the new export",
          "ran it, looks fine",
          "check with " + pickOne(rand, PEOPLE_NAMES),
        ])
      }\n`,
    ])
    : pickOne(rand, [
      `echo "done $(date)" >> /home/${ctx.login}/${
        pickOne(rand, ["backup", "cleanup", "sync"])
      }.log\n`,
      `# ${shortDate(ctx)}: ${
        pickOne(rand, [
          "added retention",
          "fixed path",
          "works again",
          "ask " + pickOne(rand, VENDORS) + " about quota",
        ])
      }\n`,
      `logger -t ${pickOne(rand, ["backup", "cleanup", "sync"])} "finished on $(hostname)"\n`,
    ]);
}
