// The JupyterLab 4 prebuilt extension (a MIME renderer extension, built by
// `jupyter labextension build` into python/src/mlmd_lens/labextension):
//  - renders `application/vnd.mlmd-lens.v1+json` outputs (from mlmd_lens.show()) — also in
//    a saved notebook opened with no kernel, and untrusted: the renderer is `safe`, it
//    draws the file's contents as text only and runs nothing from the output;
//  - a document viewer, "MLMD Lens", that opens MLMD files from the file browser: by
//    default `.mlmd`, `.sqlite`, `.db` and files named `mlmd` (cmflib's store), and any
//    other file through "Open With". No kernel is involved: the file's bytes come from the
//    contents API and the wasm core reads them in the page.
// The viewer itself is dist/viewer.js (the same module the VS Code renderer and the
// anywidget load), imported on first use so that JupyterLab's start-up does not load it.
import { Widget } from '@lumino/widgets';

/** Outputs of mlmd_lens.show() (JSON: the store gzipped + base64, and the view state). */
const MIME_TYPE = 'application/vnd.mlmd-lens.v1+json';
/** A store file opened from the file browser (the contents API's base64 of the file). */
const FILE_MIME_TYPE = 'application/x-mlmd-lens-store';
const FACTORY = 'MLMD Lens';
const FILE_TYPE = 'mlmd-lens-store';

let viewerModule;
const loadViewer = () => (viewerModule ??= import('../dist/viewer.js'));

/** Renders one output or one document. */
class MlmdLensRenderer extends Widget {
  /** @param {{ mimeType: string }} options */
  constructor(options) {
    super();
    this._mimeType = options.mimeType;
    this._viewer = null;
    this.addClass('jp-MlmdLens');
  }

  /**
   * @param {{ data: Record<string, any> }} model
   * @returns {Promise<void>}
   */
  async renderModel(model) {
    const data = model.data[this._mimeType];
    const { mountPayload, mountBytes, base64ToBytes } = await loadViewer();
    this._viewer?.destroy();
    this._viewer = null;
    if (this._mimeType === MIME_TYPE) {
      this._viewer = await mountPayload(this.node, data);
      return;
    }
    // A document: fill the tab and scroll inside it.
    this.node.style.overflow = 'auto';
    this.node.style.height = '100%';
    this.node.style.padding = '8px 12px';
    const bytes = base64ToBytes(typeof data === 'string' ? data : '');
    this._viewer = await mountBytes(this.node, bytes, { fileName: this._fileName(), height: '70vh' });
  }

  /** The opened file's name, from the document widget that holds this renderer. */
  _fileName() {
    for (let w = this.parent; w; w = w.parent) {
      const path = w.context?.path;
      if (typeof path === 'string') return path.split('/').pop() || path;
    }
    return 'mlmd';
  }

  dispose() {
    if (this.isDisposed) return;
    this._viewer?.destroy();
    this._viewer = null;
    super.dispose();
  }
}

/** @type {import('@jupyterlab/rendermime-interfaces').IRenderMime.IRendererFactory} */
const rendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE, FILE_MIME_TYPE],
  defaultRank: 0,
  createRenderer: (options) => new MlmdLensRenderer(options),
};

/** @type {import('@jupyterlab/rendermime-interfaces').IRenderMime.IExtension} */
const extension = {
  id: 'mlmd-lens:renderer',
  description: 'Shows MLMD stores (cmflib, TFX, Kubeflow) in notebook outputs and as documents.',
  rendererFactory,
  // Before text/html (50): where the extension is installed, the viewer wins over the
  // "install mlmd-lens" fallback of the same output.
  rank: 0,
  renderTimeout: 30000,
  dataType: 'string',
  fileTypes: [
    {
      name: FILE_TYPE,
      displayName: 'MLMD store',
      mimeTypes: [FILE_MIME_TYPE],
      extensions: ['.mlmd', '.sqlite', '.db'],
      // cmflib writes its store to a file named `mlmd`, with no extension.
      pattern: '^mlmd$',
      fileFormat: 'base64',
      iconClass: 'jp-MaterialIcon jp-SpreadsheetIcon',
    },
  ],
  documentWidgetFactoryOptions: {
    name: FACTORY,
    label: 'MLMD Lens',
    primaryFileType: FILE_TYPE,
    modelName: 'base64',
    // '*': offered in "Open With" for every file (a store may have any name).
    fileTypes: [FILE_TYPE, '*'],
    defaultFor: [FILE_TYPE],
  },
};

export default extension;
