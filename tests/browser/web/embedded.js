// The viewer rendered the way the notebook renderers do (no `page` option): see embedded.html.
import { openStore } from '../../../js/client.js';
import { render } from '../../../js/widget.js';

const input = /** @type {HTMLInputElement} */ (document.getElementById('file'));
input.addEventListener('change', async () => {
  const file = input.files?.[0];
  if (!file) return;
  const store = await openStore(file, { name: file.name });
  render(/** @type {HTMLElement} */ (document.getElementById('cell')), store, { height: '560px' });
});
