import type { Generator } from "./artifact.ts";
import { awsCredsGenerator } from "./aws_creds_generator.ts";
import { envFileGenerator } from "./env_file_generator.ts";
import { gitConfigGenerator } from "./git_config_generator.ts";
import { honeydocDocxGenerator } from "./honeydoc_docx_generator.ts";
import { honeydocGenerator } from "./honeydoc_generator.ts";
import { honeydocPdfGenerator } from "./honeydoc_pdf_generator.ts";
import { mysqlDumpGenerator } from "./mysql_dump_generator.ts";
import { sshKeyGenerator } from "./ssh_key_generator.ts";

/** Every generator, by name, in listing order. */
export const GENERATOR_TABLE: ReadonlyMap<string, Generator> = new Map(
  [
    awsCredsGenerator,
    gitConfigGenerator,
    envFileGenerator,
    sshKeyGenerator,
    honeydocGenerator,
    honeydocDocxGenerator,
    honeydocPdfGenerator,
    mysqlDumpGenerator,
  ].map((g) => [g.name, g]),
);
