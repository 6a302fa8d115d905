/**
 * The Omniglot atlas cache: one IndexedDB record holding the decoded 28×28 atlas, written and read
 * inside the worker (structured cloning of a 25 MB atlas would stall the page). Every function
 * resolves to a value or rejects with an Error; callers treat a failing cache as "no cache".
 */
import { atlasRecordProblem, type AtlasRecord } from './charactersData';

const DB_NAME = 'metaplay-characters';
const DB_VERSION = 1;
const STORE = 'atlases';
/** The record of the Omniglot atlas (there is one: loading more zips merges into it). */
export const OMNIGLOT_RECORD = 'omniglot';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available'));
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('cannot open IndexedDB'));
    open.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  }).catch((e: unknown) => {
    dbPromise = null;
    throw e;
  });
  return dbPromise;
}

async function withStore<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  const tx = db.transaction(STORE, mode);
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  const result = await request(body(tx.objectStore(STORE)));
  await done;
  return result;
}

/** The cached record, or null when there is none or it is stale/damaged (a damaged one is deleted). */
export async function readAtlas(name = OMNIGLOT_RECORD): Promise<AtlasRecord | null> {
  const rec = await withStore<unknown>('readonly', (s) => s.get(name));
  if (rec === undefined) return null;
  if (atlasRecordProblem(rec) !== null) {
    await deleteAtlas(name).catch(() => undefined);
    return null;
  }
  return rec as AtlasRecord;
}

export async function writeAtlas(record: AtlasRecord, name = OMNIGLOT_RECORD): Promise<void> {
  await withStore('readwrite', (s) => s.put(record, name));
}

export async function deleteAtlas(name = OMNIGLOT_RECORD): Promise<void> {
  await withStore('readwrite', (s) => s.delete(name));
}
