// Loads the VS Code notebook renderer (vscode/dist/viewer.js, the extension's
// `notebookRenderer` entrypoint) the way VS Code does — `activate(context)` then
// `renderOutputItem(outputItem, element)` — with stand-ins for the context and the output
// item (the shapes of vscode-notebook-renderer's RendererContext and OutputItem).
import { activate } from '/vscode/dist/viewer.js';

const context = {
  workspace: { isTrusted: false },
  getState: () => undefined,
  setState: () => {},
  postMessage: undefined, // requiresMessaging: "never"
  onDidReceiveMessage: undefined,
};
const renderer = activate(context);

/** An OutputItem stand-in for MIME data given as JSON text. */
function outputItem(id, mime, text) {
  const bytes = new TextEncoder().encode(text);
  return {
    id, mime, metadata: {},
    data: () => bytes,
    text: () => text,
    json: () => JSON.parse(text),
    blob: () => new Blob([bytes], { type: mime }),
  };
}

/** Renders one output; resolves when renderOutputItem has finished. */
window.renderOutput = async (id, text) => {
  const el = document.createElement('div');
  el.className = 'output';
  el.id = id;
  document.getElementById('outputs').append(el);
  await renderer.renderOutputItem(outputItem(id, 'application/vnd.mlmd-lens.v1+json', text), el, new AbortController().signal);
};
window.disposeOutput = (id) => renderer.disposeOutputItem(id);
window.rendererReady = true;
