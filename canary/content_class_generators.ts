/** Realism content classes that are canaries, and the generator each maps to. */
export const CONTENT_CLASS_GENERATORS: Readonly<Record<string, string>> = Object.freeze({
  canary_aws_creds: "aws_creds",
  canary_env_file: "env_file",
  canary_git_config: "git_config",
  canary_ssh_key: "ssh_key",
  canary_honeydoc: "honeydoc",
  canary_honeydoc_docx: "honeydoc_docx",
  canary_honeydoc_pdf: "honeydoc_pdf",
  canary_mysql_dump: "mysql_dump",
});
