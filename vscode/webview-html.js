// The custom editor's webview page: a strict CSP (scripts and styles only from the
// extension, wasm compiled from the inlined bytes, nothing else — no inline script or
// style, no network), one module script (media/editor.js). Kept apart from extension.js
// (which needs the `vscode` module) so that tests build the very same page.
'use strict';

/**
 * @param {{ cspSource: string, editorScript: string, fileName: string }} o
 *   cspSource: the webview's `cspSource`; editorScript: the webview URI of media/editor.js
 * @returns {string}
 */
function webviewHtml({ cspSource, editorScript, fileName }) {
  const csp = [
    "default-src 'none'",
    `script-src ${cspSource} 'wasm-unsafe-eval'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // The store's Web Worker, started from the viewer bundle's own code (js/client.js).
    'worker-src blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const text = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(fileName)}</title>
</head>
<body>
<main id="app" data-testid="editor-root"><p>Opening ${text(fileName)}…</p></main>
<script type="module" src="${text(editorScript)}"></script>
</body>
</html>
`;
}

module.exports = { webviewHtml };
