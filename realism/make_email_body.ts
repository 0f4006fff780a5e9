import { domainFor, fillSlots } from "./_phrase_bank.ts";
import { pickOne, pickSome } from "./_random.ts";
import type { Persona } from "./persona.ts";

/** Options for {@linkcode makeEmailBody}. */
export interface MakeEmailBodyOptions {
  recipient: Pick<Persona, "name">;
  rand: () => number;
  /** Subject of the thread when replying. */
  replyTo?: string;
}

/** A templated e-mail: subject and body. */
export interface EmailText {
  subject: string;
  body: string;
}

interface LanguagePack {
  hello: readonly string[];
  bye: readonly string[];
  reply: string;
  lines: readonly string[];
}

const PACKS: Record<string, LanguagePack> = {
  en: {
    hello: ["Hi {name},", "Hello {name},", "{name},", "Dear {name},", "Hey {name},"],
    bye: ["Thanks,", "Best,", "Cheers,", "Regards,", "Thanks a lot,"],
    reply: "Re: ",
    lines: [],
  },
  de: {
    hello: ["Hallo {name},", "Hi {name},", "Liebe/r {name},", "Guten Morgen {name},"],
    bye: ["Danke,", "Viele Grüße,", "Beste Grüße,", "LG,"],
    reply: "AW: ",
    lines: [
      "kurze Frage zum Stand von {topic}.",
      "kannst du dir das bis {day} anschauen?",
      "ich habe mit {person} gesprochen, das passt so.",
      "die Zahlen schicke ich dir morgen.",
      "lass uns das im nächsten Meeting klären.",
    ],
  },
  fr: {
    hello: ["Bonjour {name},", "Salut {name},", "Hello {name},"],
    bye: ["Merci,", "Bonne journée,", "Cordialement,", "À plus,"],
    reply: "RE: ",
    lines: [
      "petite question sur {topic}.",
      "tu peux regarder ça avant {day} ?",
      "j'en ai parlé avec {person}, c'est bon pour moi.",
      "je t'envoie les chiffres demain.",
      "on en reparle à la prochaine réunion.",
    ],
  },
  es: {
    hello: ["Hola {name},", "Buenos días {name},", "{name},"],
    bye: ["Gracias,", "Saludos,", "Un saludo,", "Abrazo,"],
    reply: "RE: ",
    lines: [
      "una pregunta rápida sobre {topic}.",
      "¿puedes revisarlo antes del {day}?",
      "lo hablé con {person} y está bien.",
      "mañana te paso los números.",
      "lo vemos en la próxima reunión.",
    ],
  },
};

/**
 * A templated work e-mail in the sender's language (en, de, fr, es; other
 * languages fall back to English), signed with their signature or first name.
 * Used when no LLM is configured or the LLM failed.
 *
 * @param sender who writes
 * @param options recipient, randomness and the subject replied to
 * @returns subject and body
 */
export function makeEmailBody(sender: Persona, options: MakeEmailBodyOptions): EmailText {
  const { rand } = options;
  const pack = PACKS[sender.language] ?? PACKS.en;
  const bank = domainFor(sender.role);
  const topic = fillSlots(pickOne(rand, bank.topics), rand, "fileserver");
  const subject = options.replyTo
    ? `${options.replyTo.startsWith(pack.reply) ? "" : pack.reply}${options.replyTo}`
    : pickOne(rand, [topic, `Question about ${topic}`, `${topic} update`, `Re ${topic}`]);
  const first = options.recipient.name.split(/\s+/)[0];
  const lines = pack.lines.length > 0
    ? pickSome(rand, pack.lines, 2).map((l) =>
      fillSlots(l.replace("{topic}", topic), rand, "fileserver")
    )
    : [
      pickOne(rand, [
        `quick one about ${topic}.`,
        `following up on ${topic}.`,
        `any news on ${topic}?`,
      ]),
      ...pickSome(rand, [...bank.facts, ...bank.tasks], 2).map((t) =>
        fillSlots(t, rand, "fileserver")
      ),
    ];
  const sentences = lines.map((l) =>
    `${l[0].toUpperCase()}${l.slice(1)}${/[.?!]$/.test(l) ? "" : "."}`
  );
  const signoff = sender.signature ?? sender.name.split(/\s+/)[0];
  const body = `${pickOne(rand, pack.hello).replace("{name}", first)}\n\n${
    sentences.join(" ")
  }\n\n${pickOne(rand, pack.bye)}\n${signoff}\n`;
  return { subject: subject[0].toUpperCase() + subject.slice(1), body };
}
