/** An RFC 5424 message split into its parts (test-side parser, independent of the product's writer). */
export interface Rfc5424Message {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** SD-ID -> parameter -> value (unescaped). */
  sd: Record<string, Record<string, string>>;
  msg: string;
}

const HEADER_REGEXP = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Parses one RFC 5424 message by the RFC's ABNF; throws SyntaxError on anything else. */
export function parseRfc5424(line: string): Rfc5424Message {
  const header = HEADER_REGEXP.exec(line);
  if (!header) throw new SyntaxError(`Not an RFC 5424 header: ${line.slice(0, 80)}`);
  let i = header[0].length;
  const sd: Record<string, Record<string, string>> = {};
  if (line[i] === "-") {
    i++;
  } else {
    while (line[i] === "[") {
      i++;
      const idEnd = line.slice(i).search(/[ \]]/) + i;
      const id = line.slice(i, idEnd);
      const params: Record<string, string> = {};
      i = idEnd;
      while (line[i] === " ") {
        i++;
        const eq = line.indexOf("=", i);
        const name = line.slice(i, eq);
        if (!/^[\x21-\x7e]{1,32}$/.test(name) || /[= \]"]/.test(name)) {
          throw new SyntaxError(`Bad SD-PARAM name ${JSON.stringify(name)}`);
        }
        if (line[eq + 1] !== '"') throw new SyntaxError(`SD-PARAM ${name} not quoted`);
        i = eq + 2;
        let value = "";
        while (line[i] !== '"') {
          if (i >= line.length) throw new SyntaxError(`SD-PARAM ${name} not closed`);
          if (line[i] === "\\" && ['"', "\\", "]"].includes(line[i + 1])) {
            value += line[i + 1];
            i += 2;
          } else if (line[i] === "]" || line[i] === '"') {
            throw new SyntaxError(`Unescaped ${line[i]} in SD-PARAM ${name}`);
          } else {
            value += line[i++];
          }
        }
        i++;
        params[name] = value;
      }
      if (line[i] !== "]") throw new SyntaxError(`SD-ELEMENT ${id} not closed at ${i}`);
      i++;
      sd[id] = params;
    }
  }
  const msg = line[i] === " " ? line.slice(i + 1) : line.slice(i);
  return {
    pri: Number(header[1]),
    version: Number(header[2]),
    timestamp: header[3],
    hostname: header[4],
    appName: header[5],
    procId: header[6],
    msgId: header[7],
    sd,
    msg,
  };
}

/** A CEF record's seven header fields (unescaped) and its extensions (unescaped). */
export interface CefRecord {
  header: string[];
  extensions: Record<string, string>;
}

/** Parses a CEF:0 record per the ArcSight CEF specification's escaping rules. */
export function parseCef(record: string): CefRecord {
  const header: string[] = [];
  let i = 0;
  let field = "";
  while (header.length < 7) {
    if (i >= record.length) throw new SyntaxError("CEF header cut short");
    const c = record[i];
    if (c === "\\" && (record[i + 1] === "|" || record[i + 1] === "\\")) {
      field += record[i + 1];
      i += 2;
    } else if (c === "|") {
      header.push(field);
      field = "";
      i++;
    } else {
      field += c;
      i++;
    }
  }
  const rest = record.slice(i);
  const extensions: Record<string, string> = {};
  // A key is a word followed by an unescaped '=', preceded by a space (or the start).
  const keys = [...rest.matchAll(/(?:^| )([A-Za-z0-9_]+)=/g)];
  keys.forEach((m, k) => {
    const start = m.index! + m[0].length;
    const end = k + 1 < keys.length ? keys[k + 1].index! : rest.length;
    const raw = rest.slice(start, end);
    if (/(^|[^\\])(\\\\)*=/.test(raw)) throw new SyntaxError(`Unescaped = in ${m[1]}`);
    extensions[m[1]] = raw.replace(/\\(.)/g, (_, c) => c === "n" ? "\n" : c === "r" ? "\r" : c);
  });
  return { header, extensions };
}
