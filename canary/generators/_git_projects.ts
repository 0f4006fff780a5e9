import type { SlugRandom } from "../slug_random.ts";
import type { GitFile } from "./_git_repository.ts";

/** Commits of a small project, oldest first, each the whole tree then. */
export interface ProjectHistory {
  commits: { message: string; files: GitFile[] }[];
}

const GITIGNORE_PY = "__pycache__/\n*.pyc\n.venv/\n.env\n";
const GITIGNORE_TF = ".terraform/\n*.tfstate\n*.tfstate.backup\n.terraform.lock.hcl\n";

function readme(repo: string, line: string): GitFile {
  return { path: "README.md", text: `# ${repo}\n\n${line}\n` };
}

/**
 * The history of a plausible small project named `repo`: a Python service,
 * shell scripts or Terraform, picked from the name and the shape stream.
 */
export function projectHistory(repo: string, shape: SlugRandom): ProjectHistory {
  if (/terraform|infra/.test(repo)) return terraform(repo, shape);
  if (/scripts|tools|ansible/.test(repo)) return scripts(repo, shape);
  return service(repo, shape);
}

function service(repo: string, shape: SlugRandom): ProjectHistory {
  const port = shape.pick([8000, 8080, 5000]);
  const base = [
    readme(repo, `Internal service. Run locally with \`make run\` (port ${port}).`),
    { path: ".gitignore", text: GITIGNORE_PY },
    { path: "requirements.txt", text: "flask==2.2.5\ngunicorn==20.1.0\nrequests==2.28.1\n" },
    {
      path: "app/__init__.py",
      text:
        "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import routes  # noqa: E402,F401\n",
    },
    {
      path: "app/routes.py",
      text:
        'from flask import jsonify\n\nfrom app import app\n\n\n@app.get("/health")\ndef health():\n    return jsonify(status="ok")\n',
    },
  ];
  const later = [
    ...base,
    {
      path: "Makefile",
      text: `run:\n\tgunicorn -b 0.0.0.0:${port} app:app\n\ntest:\n\tpython -m pytest -q\n`,
    },
    {
      path: "tests/test_health.py",
      text:
        'from app import app\n\n\ndef test_health():\n    assert app.test_client().get("/health").status_code == 200\n',
    },
  ];
  return {
    commits: [
      { message: "Initial commit", files: base },
      { message: shape.pick(["Add Makefile and health test", "Add tests"]), files: later },
    ],
  };
}

function scripts(repo: string, shape: SlugRandom): ProjectHistory {
  const host = shape.pick(["backup01", "nas", "files"]);
  const base = [
    readme(repo, "Small operational scripts. Run from cron on the admin host."),
    {
      path: "backup.sh",
      executable: true,
      text:
        `#!/bin/sh\nset -eu\nstamp=$(date +%F)\ntar -czf "/srv/backup/etc-$stamp.tar.gz" /etc\nrsync -a /srv/backup/ ${host}:/volume1/backup/\n`,
    },
  ];
  const later = [
    ...base,
    {
      path: "rotate-logs.sh",
      executable: true,
      text: "#!/bin/sh\nset -eu\nfind /var/log/app -name '*.log' -mtime +14 -delete\n",
    },
  ];
  return {
    commits: [
      { message: "Add backup script", files: base },
      { message: "Add log rotation", files: later },
    ],
  };
}

function terraform(repo: string, shape: SlugRandom): ProjectHistory {
  const region = shape.pick(["eu-west-1", "eu-central-1", "us-east-1"]);
  const base = [
    readme(repo, "Terraform for the shared environment. `terraform plan` before every apply."),
    { path: ".gitignore", text: GITIGNORE_TF },
    {
      path: "main.tf",
      text:
        `terraform {\n  required_version = ">= 1.3"\n}\n\nprovider "aws" {\n  region = var.region\n}\n`,
    },
    {
      path: "variables.tf",
      text: `variable "region" {\n  type    = string\n  default = "${region}"\n}\n`,
    },
  ];
  const later = [
    ...base,
    {
      path: "outputs.tf",
      text: `output "region" {\n  value = var.region\n}\n`,
    },
  ];
  return {
    commits: [
      { message: "Initial layout", files: base },
      { message: "Add outputs", files: later },
    ],
  };
}
