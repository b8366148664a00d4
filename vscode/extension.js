// The VS Code extension host side: a read-only custom editor for MLMD stores. The
// notebook renderer needs no host code (package.json `notebookRenderer` points VS Code at
// dist/viewer.js, whose `activate` export renders mlmd_lens.show() outputs).
// The editor reads the file with the workspace file system and posts its bytes to the
// webview (media/editor.js), which runs the viewer; nothing is ever written.
'use strict';
const vscode = require('vscode');
const { webviewHtml } = require('./webview-html.js');

/** @implements {vscode.CustomReadonlyEditorProvider} */
class MlmdLensEditorProvider {
  /** @param {vscode.ExtensionContext} context */
  constructor(context) {
    this.context = context;
  }

  /** @param {vscode.Uri} uri */
  openCustomDocument(uri) {
    return { uri, dispose() {} };
  }

  /**
   * @param {{ uri: vscode.Uri }} document
   * @param {vscode.WebviewPanel} panel
   */
  resolveCustomEditor(document, panel) {
    const root = this.context.extensionUri;
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    const fileName = document.uri.path.split('/').pop() || 'mlmd';
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      editorScript: webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'editor.js')).toString(),
      fileName,
    });
    const send = async () => {
      try {
        const bytes = await vscode.workspace.fs.readFile(document.uri);
        await webview.postMessage({ type: 'open', fileName, bytes });
      } catch (e) {
        await webview.postMessage({ type: 'error', message: `${fileName}: cannot read the file (${e instanceof Error ? e.message : e})` });
      }
    };
    const sub = webview.onDidReceiveMessage((m) => {
      if (m && m.type === 'ready') void send();
    });
    panel.onDidDispose(() => sub.dispose());
  }
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  const provider = new MlmdLensEditorProvider(context);
  const options = { webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: true };
  for (const viewType of ['mlmdLens.store', 'mlmdLens.sqlite']) {
    context.subscriptions.push(vscode.window.registerCustomEditorProvider(viewType, provider, options));
  }
}

function deactivate() {}

module.exports = { activate, deactivate, MlmdLensEditorProvider };
