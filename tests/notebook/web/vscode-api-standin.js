// A stand-in for the `acquireVsCodeApi` that VS Code gives a webview: messages to the
// extension host are recorded (window.__posted), state is kept in memory.
window.__posted = [];
window.__state = undefined;
window.acquireVsCodeApi = () => ({
  postMessage: (m) => { window.__posted.push(m); },
  getState: () => window.__state,
  setState: (s) => { window.__state = s; },
});
