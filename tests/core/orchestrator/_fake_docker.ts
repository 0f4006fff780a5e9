import { DockerUnreachableError } from "../../../core/docker/mod.ts";
import type {
  ContainerDetails,
  CreateContainerOptions,
  DockerClient,
  ExecOptions,
  ExecResult,
  ExecStdin,
} from "../../../core/docker/mod.ts";

/** One exec the fake saw. */
export interface SeenExec {
  container: string;
  argv: readonly string[];
  stdin: Uint8Array | null;
  options: ExecOptions;
}

const enc = new TextEncoder();

/**
 * A DockerClient whose exec answers like a decky would: ssh-keygen's script
 * prints a public key, a plant prints owned=1. `down` makes every call fail as
 * an unreachable daemon; `onExec` runs before answering.
 */
export class FakeDocker implements DockerClient {
  readonly endpoint = "fake://docker";
  readonly execs: SeenExec[] = [];
  /** Files copied in with copyToContainer: the first entry's name, and how many execs came before. */
  readonly copies: { container: string; path: string; name: string; afterExecs: number }[] = [];
  down = false;
  publicKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK6krv4IsB8pAnlJi7MJCPX1xxF28cEqv/mwBK3HRjF8 ana@ws-01";
  onExec?: (exec: SeenExec) => void | Promise<void>;
  /** Answers an exec instead of the defaults when it returns a result. */
  answer?: (exec: SeenExec) => ExecResult | undefined;

  async exec(
    container: string,
    argv: readonly string[],
    options: ExecOptions = {},
  ): Promise<ExecResult> {
    if (this.down) {
      throw new DockerUnreachableError("fake://docker", {
        operation: "exec",
        cause: new Error("connect ENOENT"),
      });
    }
    let stdin: Uint8Array | null = null;
    if (options.stdin instanceof Uint8Array) stdin = options.stdin;
    else if (typeof options.stdin === "string") stdin = enc.encode(options.stdin);
    const seen = { container, argv, stdin, options };
    this.execs.push(seen);
    await this.onExec?.(seen);
    const answered = this.answer?.(seen);
    if (answered) return answered;
    const script = argv[2] ?? "";
    if (script.includes("ssh-keygen")) {
      return { exitCode: 0, stdout: enc.encode(`${this.publicKey}\n`), stderr: new Uint8Array() };
    }
    return { exitCode: 0, stdout: enc.encode("owned=1\n"), stderr: new Uint8Array() };
  }

  ping(): Promise<void> {
    return this.down
      ? Promise.reject(new DockerUnreachableError("fake://docker", { operation: "ping" }))
      : Promise.resolve();
  }
  /** Every container asks for is there, running its own image (`image-of-<name>`). */
  inspectContainer(container: string): Promise<ContainerDetails> {
    return Promise.resolve({
      id: container,
      name: container,
      image: `image-of-${container}`,
      labels: {},
      status: "running",
      running: true,
      exitCode: 0,
      pid: 1,
      startedAt: "",
      finishedAt: "",
      networkMode: "default",
      init: false,
      hostname: container,
      networks: {},
      limits: { nanoCpus: 0, memoryBytes: 0, pidsLimit: 0 },
      user: "",
      mounts: [],
    });
  }
  listContainers(): Promise<never[]> {
    return Promise.resolve([]);
  }
  /** Containers created (e.g. the fleet-port gate's helpers), and the ids removed. */
  readonly created: CreateContainerOptions[] = [];
  readonly removed: string[] = [];
  createContainer(options: CreateContainerOptions): Promise<string> {
    this.created.push(options);
    return Promise.resolve(`created-${this.created.length}`);
  }
  startContainer(): Promise<void> {
    return Promise.resolve();
  }
  stopContainer(): Promise<void> {
    return Promise.resolve();
  }
  removeContainer(container: string): Promise<void> {
    this.removed.push(container);
    return Promise.resolve();
  }
  createNetwork(): Promise<string> {
    return Promise.reject(new Error("not in the fake"));
  }
  removeNetwork(): Promise<void> {
    return Promise.resolve();
  }
  listNetworks(): Promise<never[]> {
    return Promise.resolve([]);
  }
  importImage(): Promise<string> {
    return Promise.reject(new Error("not in the fake"));
  }
  // deno-lint-ignore require-yield
  async *followLogs(): AsyncIterable<never> {
    throw new Error("not in the fake");
  }
  async copyToContainer(
    container: string,
    tarball: ExecStdin,
    options: { path: string },
  ): Promise<void> {
    const parts: number[] = [];
    for await (const chunk of tarball as AsyncIterable<Uint8Array>) parts.push(...chunk);
    // The first entry's name: the ustar header's first 100 bytes.
    const name = new TextDecoder().decode(Uint8Array.from(parts.slice(0, 100))).replace(
      /\0.*$/s,
      "",
    );
    this.copies.push({ container, path: options.path, name, afterExecs: this.execs.length });
  }
  hasImage(): Promise<boolean> {
    return Promise.resolve(false);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
