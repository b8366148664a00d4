// Recent stores: with the user's consent (off by default), the files opened in this page
// are kept in the browser's origin-private file system (OPFS) — on this machine, for this
// site only, never sent anywhere — so that after a reload the page can reopen the last
// one. The page host's concern only: the viewer and the core know nothing of it.

/** The consent flag, in localStorage (a setting, not data). */
const CONSENT_KEY = 'mlmd-lens.remember-files';
/** The OPFS directory of kept files, and its index. */
const DIR = 'recent-stores';
const INDEX = 'index.json';
/** Files kept at most (the oldest goes first). */
export const MAX_RECENT = 5;

/**
 * @typedef {{ id: string, name: string, size: number, savedAt: string }} RecentStore
 */

/**
 * Why recent stores are unavailable here, or `null` when they are available: OPFS needs
 * a secure http(s) origin (file:// pages, like the offline HTML, have none).
 * @returns {Promise<string|null>}
 */
export async function unavailableReason() {
  if (location.protocol === 'file:') return 'Recent stores are unavailable in a page opened from a file (file://): the browser gives such pages no private storage.';
  if (!navigator.storage?.getDirectory) return 'Recent stores are unavailable: this browser has no origin-private file system.';
  try {
    await navigator.storage.getDirectory();
    return null;
  } catch (e) {
    return `Recent stores are unavailable: the browser refused its private storage (${e instanceof Error ? e.message : e}).`;
  }
}

/** True when the user agreed to keep opened files. */
export function consented() {
  try { return localStorage.getItem(CONSENT_KEY) === '1'; } catch { return false; }
}

/** Records the user's choice; withdrawing it removes every kept file. @param {boolean} yes */
export async function setConsent(yes) {
  try { localStorage.setItem(CONSENT_KEY, yes ? '1' : '0'); } catch { /* private mode: nothing is kept anyway */ }
  if (!yes) await removeAll();
}

/** @param {boolean} create */
async function dir(create) {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(DIR, { create });
}

/** The kept files, newest first. @returns {Promise<RecentStore[]>} */
export async function listRecent() {
  try {
    const d = await dir(false);
    const text = await (await (await d.getFileHandle(INDEX)).getFile()).text();
    const list = JSON.parse(text);
    return Array.isArray(list)
      ? list.filter((r) => r && typeof r.id === 'string' && typeof r.name === 'string' && Number.isFinite(r.size) && typeof r.savedAt === 'string')
      : [];
  } catch {
    return [];
  }
}

/** @param {FileSystemDirectoryHandle} d @param {string} name @param {Blob|string} data */
async function write(d, name, data) {
  const handle = await d.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  await w.write(data);
  await w.close();
}

/**
 * Keeps `source` under `name` (a file with the same name and size replaces its older copy);
 * only with consent.
 * @param {Blob} source @param {string} name
 * @returns {Promise<RecentStore[]>} the list after
 */
export async function keepRecent(source, name) {
  if (!consented()) return listRecent();
  const d = await dir(true);
  const list = await listRecent();
  const old = list.filter((r) => r.name === name && r.size === source.size);
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await write(d, id, source);
  let next = [{ id, name, size: source.size, savedAt: new Date().toISOString() }, ...list.filter((r) => !old.includes(r))];
  const dropped = [...old, ...next.slice(MAX_RECENT)];
  next = next.slice(0, MAX_RECENT);
  await write(d, INDEX, JSON.stringify(next));
  for (const r of dropped) await d.removeEntry(r.id).catch(() => {});
  return next;
}

/** The kept file `id` as a File. @param {RecentStore} r @returns {Promise<File>} */
export async function openRecent(r) {
  const d = await dir(false);
  const file = await (await d.getFileHandle(r.id)).getFile();
  return new File([file], r.name, { type: file.type });
}

/** Removes one kept file. @param {string} id @returns {Promise<RecentStore[]>} the list after */
export async function removeRecent(id) {
  const list = await listRecent();
  const next = list.filter((r) => r.id !== id);
  try {
    const d = await dir(false);
    await write(d, INDEX, JSON.stringify(next));
    await d.removeEntry(id).catch(() => {});
  } catch { /* nothing kept */ }
  return next;
}

/** Removes every kept file. */
async function removeAll() {
  try {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(DIR, { recursive: true });
  } catch { /* nothing kept */ }
}
