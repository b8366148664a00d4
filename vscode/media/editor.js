// The custom editor's webview script: waits for the file's bytes from the extension host
// (extension.js) and renders the viewer. The view state (search, sort, selection …) is
// kept with the webview's state, so it survives the editor being hidden and restored.
import { mountBytes } from '../dist/viewer.js';

// eslint-disable-next-line no-undef
const vscode = acquireVsCodeApi();
const app = /** @type {HTMLElement} */ (document.getElementById('app'));
let viewer = null;

window.addEventListener('message', async (event) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'error') {
    app.textContent = String(m.message);
    return;
  }
  if (m.type !== 'open') return;
  viewer?.destroy();
  const saved = vscode.getState();
  viewer = await mountBytes(app, m.bytes instanceof Uint8Array ? m.bytes : new Uint8Array(m.bytes), {
    fileName: String(m.fileName || 'mlmd'),
    height: '70vh',
    state: saved && saved.fileName === m.fileName ? saved.state : {},
    onStateChange: (state) => vscode.setState({ fileName: m.fileName, state }),
  });
});

vscode.postMessage({ type: 'ready' });
