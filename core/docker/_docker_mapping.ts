// Docker Engine JSON (PascalCase, nullable maps) -> our camelCase shapes.
import type { ContainerDetails, ContainerSummary, ImageDetails, NetworkSummary } from "./base.ts";

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value && typeof value === "object" ? value as Json : {};
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function labels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) out[k] = str(v);
  return out;
}

export function containerDetails(json: Json): ContainerDetails {
  const state = obj(json.State);
  const config = obj(json.Config);
  const hostConfig = obj(json.HostConfig);
  const networks: ContainerDetails["networks"] = {};
  for (const [name, raw] of Object.entries(obj(obj(json.NetworkSettings).Networks))) {
    const net = obj(raw);
    networks[name] = {
      networkId: str(net.NetworkID),
      ipAddress: str(net.IPAddress),
      macAddress: str(net.MacAddress),
    };
  }
  return {
    id: str(json.Id),
    name: str(json.Name).replace(/^\//, ""),
    image: str(config.Image),
    labels: labels(config.Labels),
    status: str(state.Status),
    running: state.Running === true,
    exitCode: num(state.ExitCode),
    pid: num(state.Pid),
    startedAt: str(state.StartedAt),
    finishedAt: str(state.FinishedAt),
    networkMode: str(hostConfig.NetworkMode),
    init: hostConfig.Init === true,
    hostname: str(config.Hostname),
    networks,
    limits: {
      nanoCpus: num(hostConfig.NanoCpus),
      memoryBytes: num(hostConfig.Memory),
      pidsLimit: num(hostConfig.PidsLimit),
    },
    user: str(config.User),
    mounts: (Array.isArray(json.Mounts) ? json.Mounts : []).map((m) => ({
      type: str(obj(m).Type),
      source: str(obj(m).Name) || str(obj(m).Source),
      target: str(obj(m).Destination),
      readOnly: obj(m).RW === false,
    })),
  };
}

export function imageDetails(json: Json): ImageDetails {
  const config = obj(json.Config);
  const strings = (v: unknown) => (Array.isArray(v) ? v : []).map(str);
  return {
    id: str(json.Id),
    repoTags: strings(json.RepoTags),
    entrypoint: strings(config.Entrypoint),
    cmd: strings(config.Cmd),
    env: strings(config.Env),
    labels: labels(config.Labels),
    user: str(config.User),
    workingDir: str(config.WorkingDir),
  };
}

export function containerSummary(json: Json): ContainerSummary {
  return {
    id: str(json.Id),
    names: (Array.isArray(json.Names) ? json.Names : []).map((n) => str(n).replace(/^\//, "")),
    image: str(json.Image),
    labels: labels(json.Labels),
    state: str(json.State),
  };
}

export function networkSummary(json: Json): NetworkSummary {
  const config = obj(json.IPAM).Config;
  return {
    id: str(json.Id),
    name: str(json.Name),
    driver: str(json.Driver),
    labels: labels(json.Labels),
    subnets: (Array.isArray(config) ? config : []).map((c) => str(obj(c).Subnet)).filter(Boolean),
    internal: json.Internal === true,
    options: labels(json.Options),
  };
}

/** `{a: "1", b: true}` -> Docker's label filter `["a=1", "b"]`. */
export function labelFilter(wanted: Record<string, string | true> | undefined): string[] {
  return Object.entries(wanted ?? {}).map(([k, v]) => v === true ? k : `${k}=${v}`);
}
