import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import type { CompanionFile } from "./artifact.ts";

/** A work-tree file of a commit. */
export interface GitFile {
  path: string;
  text: string;
  executable?: boolean;
}

/** One commit of the history, oldest first; each lists the whole tree at that point. */
export interface GitCommitSpec {
  message: string;
  at: Date;
  files: readonly GitFile[];
}

/** Options of {@linkcode gitRepository}. */
export interface GitRepositoryOptions {
  author: { name: string; email: string };
  branch: string;
  /** The origin URL (only the clone line of the reflog repeats it). */
  remoteUrl: string;
  /** When it was cloned: the date of the files under .git and of the work tree. */
  clonedAt: Date;
  commits: readonly GitCommitSpec[];
}

const encoder = new TextEncoder();

function sha1(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(bytes).digest());
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A git object store being filled: id -> deflated loose object. */
class ObjectStore {
  readonly objects = new Map<string, Uint8Array>();

  put(type: string, body: Uint8Array): Uint8Array {
    const raw = concat([encoder.encode(`${type} ${body.length}\0`), body]);
    const id = sha1(raw);
    this.objects.set(hex(id), new Uint8Array(deflateSync(raw)));
    return id;
  }
}

interface TreeNode {
  files: Map<string, { id: Uint8Array; executable: boolean }>;
  dirs: Map<string, TreeNode>;
}

function writeTree(store: ObjectStore, node: TreeNode): Uint8Array {
  // Git sorts entries by name, a directory as if its name ended in "/".
  const entries: [string, string, Uint8Array][] = [];
  for (const [name, f] of node.files) {
    entries.push([name, f.executable ? "100755" : "100644", f.id]);
  }
  for (const [name, dir] of node.dirs) entries.push([`${name}/`, "40000", writeTree(store, dir)]);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return store.put(
    "tree",
    concat(entries.flatMap(([name, mode, id]) => [
      encoder.encode(`${mode} ${name.replace(/\/$/, "")}\0`),
      id,
    ])),
  );
}

function treeOf(store: ObjectStore, files: readonly GitFile[], blobs: Map<string, Uint8Array>) {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split("/");
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      let next = node.dirs.get(dir);
      if (!next) node.dirs.set(dir, next = { files: new Map(), dirs: new Map() });
      node = next;
    }
    const bytes = encoder.encode(file.text);
    const id = store.put("blob", bytes);
    blobs.set(file.path, id);
    node.files.set(parts[parts.length - 1], { id, executable: file.executable === true });
  }
  return writeTree(store, root);
}

function gitTime(at: Date): string {
  return `${Math.floor(at.getTime() / 1000)} +0000`;
}

// Hook samples as `git init` lays them out (names and mode 0755; the
// contents are our own short scripts, not git's).
const HOOK_SAMPLES = [
  "applypatch-msg",
  "commit-msg",
  "fsmonitor-watchman",
  "post-update",
  "pre-applypatch",
  "pre-commit",
  "pre-merge-commit",
  "pre-push",
  "pre-rebase",
  "pre-receive",
  "prepare-commit-msg",
  "push-to-checkout",
  "update",
] as const;

function hookSample(name: string): string {
  return `#!/bin/sh\n#\n# An example hook script for the "${name}" step.\n# To enable this hook, rename this file to "${name}".\n\nexit 0\n`;
}

/**
 * A cloned-looking git repository as files relative to its work tree: the
 * loose objects (zlib-deflated, SHA-1 named) of every commit, HEAD, the
 * branch ref and origin's packed ref, reflogs, description, info/exclude,
 * hook samples, an index matching the last commit, and the work tree itself.
 * `.git/config` is not included: it is the bait.
 *
 * @param options author, branch, remote URL and commits (oldest first)
 * @returns the files, every one dated at the commit that last wrote it
 */
export function gitRepository(options: GitRepositoryOptions): CompanionFile[] {
  const { author, branch, commits } = options;
  const store = new ObjectStore();
  const person = `${author.name} <${author.email}>`;
  const zero = "0".repeat(40);
  let parent: string | null = null;
  const reflog: string[] = [];
  let blobs = new Map<string, Uint8Array>();
  for (const commit of commits) {
    blobs = new Map();
    const tree = hex(treeOf(store, commit.files, blobs));
    const body = [
      `tree ${tree}`,
      ...(parent ? [`parent ${parent}`] : []),
      `author ${person} ${gitTime(commit.at)}`,
      `committer ${person} ${gitTime(commit.at)}`,
      "",
      commit.message,
      "",
    ].join("\n");
    parent = hex(store.put("commit", encoder.encode(body)));
  }
  const last = commits[commits.length - 1];
  const head = parent!;
  const cloned = options.clonedAt;
  reflog.push(`${zero} ${head} ${person} ${gitTime(cloned)}\tclone: from ${options.remoteUrl}\n`);
  const files: CompanionFile[] = [];
  const add = (path: string, bytes: Uint8Array | string, mode: number, at: Date) => {
    files.push({
      path,
      bytes: typeof bytes === "string" ? encoder.encode(bytes) : bytes,
      mode,
      modifiedAt: at.toISOString(),
    });
  };
  add(".git/HEAD", `ref: refs/heads/${branch}\n`, 0o644, cloned);
  add(
    ".git/description",
    "Unnamed repository; edit this file 'description' to name the repository.\n",
    0o644,
    cloned,
  );
  add(
    ".git/info/exclude",
    "# Patterns to ignore in this repository only, one per line.\n# *~\n",
    0o644,
    cloned,
  );
  for (const hook of HOOK_SAMPLES) {
    add(`.git/hooks/${hook}.sample`, hookSample(hook), 0o755, cloned);
  }
  add(`.git/refs/heads/${branch}`, `${head}\n`, 0o644, cloned);
  add(".git/refs/remotes/origin/HEAD", `ref: refs/remotes/origin/${branch}\n`, 0o644, cloned);
  add(
    ".git/packed-refs",
    `# pack-refs with: peeled fully-peeled sorted \n${head} refs/remotes/origin/${branch}\n`,
    0o644,
    cloned,
  );
  add(".git/logs/HEAD", reflog.join(""), 0o644, cloned);
  add(`.git/logs/refs/heads/${branch}`, reflog.join(""), 0o644, cloned);
  add(
    ".git/logs/refs/remotes/origin/HEAD",
    `${zero} ${head} ${person} ${gitTime(cloned)}\tclone: from ${options.remoteUrl}\n`,
    0o644,
    cloned,
  );
  for (const [id, bytes] of store.objects) {
    add(`.git/objects/${id.slice(0, 2)}/${id.slice(2)}`, bytes, 0o444, cloned);
  }
  const sorted = [...last.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of sorted) {
    add(file.path, file.text, file.executable ? 0o755 : 0o644, cloned);
  }
  add(".git/index", gitIndex(sorted, blobs, cloned), 0o644, cloned);
  return files;
}

/** A version 2 index of the work tree (stat fields zero but size: git re-reads such entries). */
function gitIndex(files: readonly GitFile[], blobs: Map<string, Uint8Array>, at: Date): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(12));
  encoder.encodeInto("DIRC", new Uint8Array(header.buffer));
  header.setUint32(4, 2);
  header.setUint32(8, files.length);
  parts.push(new Uint8Array(header.buffer));
  const seconds = Math.floor(at.getTime() / 1000);
  for (const file of files) {
    const name = encoder.encode(file.path);
    const size = 62 + name.length;
    const padded = Math.ceil((size + 1) / 8) * 8;
    const entry = new Uint8Array(padded);
    const view = new DataView(entry.buffer);
    view.setUint32(0, seconds);
    view.setUint32(8, seconds);
    view.setUint32(24, file.executable ? 0o100755 : 0o100644);
    view.setUint32(36, encoder.encode(file.text).length);
    entry.set(blobs.get(file.path)!, 40);
    view.setUint16(60, Math.min(name.length, 0xfff));
    entry.set(name, 62);
    parts.push(entry);
  }
  const body = concat(parts);
  return concat([body, sha1(body)]);
}
