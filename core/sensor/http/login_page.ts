/** Options for {@linkcode loginPage}. */
export interface LoginPageOptions {
  /** The decky's host name ("files01" or "files01.corp.example"). */
  hostname: string;
  /** Shown above the form after a failed attempt. */
  error?: string;
}

/**
 * A plain sign-in page of an internal web application, titled after the
 * decky: the organisation from the host name's domain ("corp.example" ->
 * "Corp"), the host's short name as the application. It names no product.
 *
 * @example
 * ```ts
 * const html = loginPage({ hostname: "files01.acme.example" }); // "<title>Acme - files01 - Sign in</title>"...
 * ```
 */
export function loginPage(options: LoginPageOptions): string {
  const [short, ...domain] = options.hostname.split(".");
  const org = domain.length > 0 ? capitalize(domain[0]) : "";
  const title = org ? `${org} - ${short} - Sign in` : `${short} - Sign in`;
  const error = options.error ? `\n      <p class="error">${escapeHtml(options.error)}</p>` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: Arial, Helvetica, sans-serif; background: #eef1f5; margin: 0; }
    .box { width: 320px; margin: 12vh auto; background: #fff; padding: 28px 32px; border: 1px solid #d5dbe3; border-radius: 4px; }
    h1 { font-size: 20px; margin: 0 0 4px; color: #1f2d3d; }
    h2 { font-size: 13px; margin: 0 0 20px; color: #6b7785; font-weight: normal; }
    label { display: block; font-size: 13px; margin: 12px 0 4px; color: #333; }
    input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 8px; border: 1px solid #c3ccd6; border-radius: 3px; }
    button { margin-top: 20px; width: 100%; padding: 9px; background: #2d6cb5; color: #fff; border: 0; border-radius: 3px; font-size: 14px; }
    .error { color: #b3261e; font-size: 13px; }
    footer { text-align: center; font-size: 11px; color: #8a96a3; margin-top: 16px; }
  </style>
</head>
<body>
  <div class="box">
    <h1>${escapeHtml(org || short)}</h1>
    <h2>Sign in to ${escapeHtml(short)}</h2>
    <form method="post" action="/login" autocomplete="off">${error}
      <label for="username">Username</label>
      <input type="text" id="username" name="username" autofocus>
      <label for="password">Password</label>
      <input type="password" id="password" name="password">
      <button type="submit">Sign in</button>
    </form>
    <footer>Authorized users only. Activity may be monitored.</footer>
  </div>
</body>
</html>
`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
