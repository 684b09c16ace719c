import { createHash } from 'node:crypto';
import { html, trusted, type SafeHtml } from '../html';
import { STYLES } from './styles';

export interface DocumentParts {
  title: string;
  body: SafeHtml;
  /** Inline scripts, each written in this code base (never built from file contents). */
  scripts: string[];
}

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The Content-Security-Policy of every page: only the page's own inline scripts (by hash) run,
 * nothing is loaded from anywhere, and requests go only to where the page came from (the
 * dashboard's live updates and actions). Even a string that escaped escaping could not run.
 * Made only of this file's constants and base64 hashes, so it goes into the page unescaped.
 */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(hashOf).join(' ') || "'none'"}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A whole, self-contained HTML document: inline CSS and JS, no network. */
export function renderDocument(parts: DocumentParts): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${trusted(contentSecurityPolicy(parts.scripts))}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="Factory">
<title>${parts.title}</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
<main>
${parts.body}
</main>
${parts.scripts.map((s) => html`<script>${trusted(s)}</script>`)}
</body>
</html>
`.value;
}
