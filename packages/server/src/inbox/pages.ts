/** The inbox's pages; each is a shell that ui/app.js fills from the JSON API. */
export type InboxPage = 'issues' | 'issue' | 'releases' | 'symbol-sets';

const NAV: readonly { page: InboxPage; href: string; label: string }[] = [
  { page: 'issues', href: '/', label: 'Issues' },
  { page: 'releases', href: '/releases', label: 'Releases' },
  { page: 'symbol-sets', href: '/symbol-sets', label: 'Symbol sets' },
];

/** Text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function head(title: string, withScript: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/inbox/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/inbox/assets/inbox.css">
${withScript ? '<script type="module" src="/inbox/assets/app.js"></script>\n' : ''}</head>`;
}

function logoutForm(): string {
  return `<form class="logout" method="post" action="/inbox/logout"><button type="submit">Log out</button></form>`;
}

/** The page shell: header and navigation, an empty main that the script renders into. */
export function pageShell(page: InboxPage, options: { login: boolean }): string {
  const nav = NAV.map(
    (item) =>
      `<a href="${item.href}"${item.page === page || (page === 'issue' && item.page === 'issues') ? ' aria-current="page"' : ''}>${item.label}</a>`,
  ).join('');
  return `${head('hogmaps inbox', true)}
<body data-page="${page}">
<header class="top">
<a class="brand" href="/">hogmaps <span>inbox</span></a>
<nav>${nav}</nav>
<span class="live" id="live" hidden></span>
${options.login ? logoutForm() : ''}
</header>
<main id="main"><p class="muted">Loading…</p></main>
<noscript><p class="notice">The inbox needs JavaScript (served by this server, nothing from the internet).</p></noscript>
</body>
</html>
`;
}

/** The login form; `next` is where to go afterwards (a local path, checked by the caller). */
export function loginPage(options: { next: string; error?: string }): string {
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return `${head('Log in · hogmaps inbox', false)}
<body class="login">
<main>
<h1>hogmaps <span>inbox</span></h1>
<p>This server can be reached from other machines, so the inbox needs a personal API key of this server
(<code>phx_…</code>, printed when it starts) with <code>error_tracking:read</code>.</p>
${error}<form method="post" action="/inbox/login">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="key">Personal API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus spellcheck="false">
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;
}
