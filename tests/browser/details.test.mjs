// The execution details panel in the real page (www/ + js/ + pkg/, headless Debian Chromium):
// every field it shows equals the native CLI's `show` JSON for the same execution — name,
// pipeline, stage, git, each typed property (structs as JSON), artifacts, events — and it
// handles a missing id, prev/next and Esc. Screenshots go to test-output/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, openWith, useBrowser } from './harness.mjs';
import { FIXTURES, cli } from '../node/helpers.mjs';

/** The page's size: wide enough for the panel beside the table. */
const WIDE = { viewport: { width: 1400, height: 1000 } };

useBrowser('mlmd-lens-details-');

/** Everything the panel shows, read back from the DOM. */
async function readPanel(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-testid=details]');
    // The value's own text (a <code> when the row also has a Copy button).
    const field = (k) => {
      const dd = panel.querySelector(`[data-field="${k}"] dd`);
      return dd ? (dd.querySelector('code') ?? dd).textContent : null;
    };
    return {
      hidden: panel.hidden,
      name: panel.querySelector('[data-testid=details-name]')?.textContent,
      fields: Object.fromEntries(['id', 'name', 'type', 'pipeline', 'stage', 'uuid', 'externalId', 'branch', 'author', 'message', 'ended', 'duration']
        .map((k) => [k, field(k)])),
      status: panel.querySelector('[data-field=status] [data-status]')?.getAttribute('data-status'),
      commit: panel.querySelector('[data-testid=git-commit]')?.textContent ?? null,
      commitRow: field('commit'),
      repo: panel.querySelector('[data-testid=git-repo]')?.textContent ?? null,
      repoLink: panel.querySelector('[data-field=repo] a')?.getAttribute('href') ?? null,
      repoLinkRel: panel.querySelector('[data-field=repo] a')?.getAttribute('rel') ?? null,
      command: panel.querySelector('[data-testid=command]')?.textContent ?? null,
      properties: [...panel.querySelectorAll('[data-testid=property]')].map((tr) => {
        const v = tr.querySelector('[data-testid=property-value]');
        return {
          name: tr.getAttribute('data-name'), kind: tr.getAttribute('data-kind'),
          custom: tr.getAttribute('data-custom') === 'true',
          text: v.textContent, json: v.hasAttribute('data-json'),
          numericAligned: getComputedStyle(v.closest('td')).textAlign === 'right',
        };
      }),
      artifacts: [...panel.querySelectorAll('[data-testid=artifact-row]')].map((tr) => ({
        direction: tr.getAttribute('data-direction'), id: Number(tr.getAttribute('data-id')),
        name: tr.querySelector('[data-testid=artifact-name]').textContent,
        rawName: tr.querySelector('[data-testid=artifact-name]').getAttribute('data-raw-name'),
        uri: tr.querySelector('[data-testid=artifact-uri]')?.textContent ?? '',
      })),
      events: [...panel.querySelectorAll('[data-testid=event]')].map((li) => li.getAttribute('data-type')),
      contexts: [...panel.querySelectorAll('.ml-contexts li')].map((li) => Number(li.getAttribute('data-id'))),
    };
  });
}

/** Checks the panel against `mlmd-lens show FILE ID`. */
function checkAgainstCli(shown, x) {
  assert.equal(shown.hidden, false);
  assert.equal(shown.name, x.name);
  assert.equal(shown.fields.id, String(x.id));
  for (const k of ['name', 'type', 'pipeline', 'stage', 'uuid', 'externalId']) {
    assert.equal(shown.fields[k], x[k] === '' ? 'not recorded' : x[k], `field ${k}`);
  }
  assert.equal(shown.status, x.status);
  for (const k of ['branch', 'author', 'message']) {
    assert.equal(shown.fields[k], x.git[k] === '' ? 'not recorded' : x.git[k], `git ${k}`);
  }
  if (x.git.commit) {
    assert.equal(shown.commit, x.git.commit);
    assert.ok(shown.commitRow.includes(x.gitCommitShort), 'short commit shown');
  } else {
    assert.equal(shown.commitRow, 'not recorded');
  }
  if (x.git.repo) {
    assert.equal(shown.repo, x.git.repo);
    if (x.git.repo.startsWith('https://')) {
      assert.equal(shown.repoLink, x.git.repo);
      assert.equal(shown.repoLinkRel, 'noopener noreferrer');
    } else {
      assert.equal(shown.repoLink, null, 'only https:// repositories are links');
    }
  } else {
    assert.equal(shown.repo, null);
  }
  assert.equal(shown.command, x.command === '' ? null : x.command);
  if (Number.isFinite(x.endedMs)) assert.notEqual(shown.fields.ended, 'not ended');
  else assert.equal(shown.fields.ended, 'not ended');

  // Properties by the core's role: parameters (the user's custom ones first), metrics, git,
  // then the tool's bookkeeping (folded); each with its kind; values exactly as the CLI.
  const of = (role) => x.typedProperties.filter((p) => p.role === role);
  const userFirst = (ps) => [...ps.filter((p) => p.custom), ...ps.filter((p) => !p.custom)];
  const expected = [...userFirst(of('parameter')), ...userFirst(of('metric')), ...of('git'), ...of('bookkeeping')];
  assert.deepEqual(shown.properties.map((p) => [p.name, p.kind, p.custom]), expected.map((p) => [p.name, p.kind, p.custom]));
  expected.forEach((p, i) => {
    const s = shown.properties[i];
    if (p.json !== undefined) {
      // A string holding JSON (TFX's train_args): folded JSON, the same value inside.
      assert.ok(s.json, `${p.name} is shown as JSON`);
      assert.deepEqual(JSON.parse(s.text), JSON.parse(p.value), `value of ${p.name}`);
    } else if (p.value !== null && typeof p.value === 'object') {
      assert.ok(s.json, `${p.name} is shown as JSON`);
      assert.deepEqual(JSON.parse(s.text), p.value, `value of ${p.name}`);
    } else {
      assert.equal(s.text, String(p.value), `value of ${p.name}`);
    }
    assert.equal(s.numericAligned, p.kind === 'int' || p.kind === 'double', `${p.name} alignment`);
  });

  const arts = [...x.inputs.map((a) => ['input', a]), ...x.outputs.map((a) => ['output', a])];
  assert.deepEqual(shown.artifacts, arts.map(([direction, a]) => ({ direction, id: a.id, name: a.displayName, rawName: a.name, uri: a.uri })));
  assert.equal(shown.events.length, x.events.length, 'events count');
  const byTime = [...x.events].sort((a, b) => a.timeMs - b.timeMs || a.id - b.id).map((e) => e.type);
  assert.deepEqual(shown.events, byTime, 'events in time order');
  assert.deepEqual(shown.contexts, x.contexts.map((c) => c.id));
}

test('details of a cmflib Evaluate run: the user\'s parameter first, bookkeeping folded, the Metrics artifact\'s values', async () => {
  const name = 'cmf_small.sqlite';
  const x = cli('show', join(FIXTURES, name), '4');
  const { page, errors, close } = await openWith(join(FIXTURES, name), '?selected=4', WIDE);
  try {
    await page.getByTestId('details').waitFor({ state: 'visible' });
    checkAgainstCli(await readPanel(page), x);
    const first = await page.locator('[data-testid=property]').first().getAttribute('data-name');
    assert.equal(first, 'threshold', 'the user\'s parameter leads');
    assert.equal(await page.locator('[data-testid=property][data-name=Context_Type]').isVisible(), false, 'bookkeeping is folded');
    const metrics = await page.$$eval('[data-testid=artifact-metric]', (trs) => trs.map((tr) => [tr.dataset.name, Number(tr.dataset.artifact), tr.querySelector('[data-testid=metric-value]').textContent]));
    assert.deepEqual(metrics, x.metrics.map((m) => [m.name, m.source.id, String(m.value)]));
    assert.deepEqual(metrics.map((m) => m[0]), ['accuracy', 'avg_prec', 'roc_auc']);
    await page.getByTestId('properties-bookkeeping').locator('summary').click();
    assert.equal(await page.locator('[data-testid=property][data-name=Context_Type]').isVisible(), true);
    await page.getByTestId('details').screenshot({ path: join(SHOTS, 'details-cmf_small-evaluate.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

for (const [name, id] of [['cmf_small.sqlite', 3], ['mlmd_tfx.sqlite', 1]]) {
  test(`details of ${name} execution ${id} equal the CLI's show`, async () => {
    const x = cli('show', join(FIXTURES, name), String(id));
    const { page, errors, close } = await openWith(join(FIXTURES, name), `?selected=${id}`, WIDE);
    try {
      await page.getByTestId('details').waitFor({ state: 'visible' });
      checkAgainstCli(await readPanel(page), x);
      if (name === 'mlmd_tfx.sqlite') {
        // The struct `config` is drawn as folded JSON (json-value.js): its outer fold is
        // open; its bracket folds and unfolds it.
        const toggle = page.locator('[data-testid=property][data-name=config] .ml-json-toggle').first();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      }
      await page.getByTestId('details').screenshot({ path: join(SHOTS, `details-${name.replace('.sqlite', '')}.png`) });
      await page.screenshot({ path: join(SHOTS, `details-${name.replace('.sqlite', '')}-page.png`) });

      // Esc closes the panel (and the URL forgets the selection).
      await page.locator('[data-testid=details] h2').click();
      await page.keyboard.press('Escape');
      await page.getByTestId('details').waitFor({ state: 'hidden' });
      await page.waitForFunction(() => !new URLSearchParams(location.search).has('selected'));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}

test('prev / next walk the executions in the current order; close button closes', async () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const { page, errors, close } = await openWith(join(FIXTURES, 'cmf_small.sqlite'), '?selected=3&sort=-id', WIDE);
  try {
    const panel = page.getByTestId('details');
    await panel.waitFor({ state: 'visible' });
    const order = cli('executions', path, '--sort', '-id', '--json').rows.map((r) => r.id);
    const at = order.indexOf(3);
    assert.equal(await page.getByTestId('details-position').textContent(), `${at + 1} of ${order.length}`);
    await page.getByTestId('details-next').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=details-name]')?.textContent === n,
      cli('show', path, String(order[at + 1])).name);
    await page.getByTestId('details-prev').click();
    await page.getByTestId('details-prev').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=details-name]')?.textContent === n,
      cli('show', path, String(order[at - 1])).name);
    await page.getByTestId('details-close').click();
    await panel.waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an execution id that is not in the store shows a not-found error in the panel', async () => {
  const { page, errors, close } = await openWith(join(FIXTURES, 'cmf_small.sqlite'), '?selected=9999', WIDE);
  try {
    const err = page.getByTestId('details-error');
    await err.waitFor({ state: 'visible' });
    assert.equal(await err.getAttribute('data-kind'), 'not-found');
    assert.match(await err.textContent(), /9999/);
    await page.getByTestId('details').screenshot({ path: join(SHOTS, 'details-not-found.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
