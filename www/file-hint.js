// A classic (non-module) script: browsers such as Chromium refuse ES modules from file://,
// so the page cannot start there. Say so, and point to the single-file build that works.
if (location.protocol === 'file:') {
  window.addEventListener('DOMContentLoaded', () => {
    setTimeout(() => {
      if (document.documentElement.dataset.started === '1') return;
      const el = document.getElementById('load-error');
      if (!el) return;
      el.textContent = 'This page was opened from a file: this browser does not run its modules from file://. '
        + 'Open dist/mlmd-lens.html instead (built by make build): the same viewer in one file that works offline, '
        + 'or serve this folder with make serve.';
      el.hidden = false;
    }, 500);
  });
}
