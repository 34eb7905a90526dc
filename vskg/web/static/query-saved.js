// Saved queries: kept in the browser's localStorage, so they survive a reload and stay on this machine.
//
// An entry is either a filled-in catalogue form ({kind: "catalogue", query, params: [[name, value], ...]}) or the
// SPARQL editor's text ({kind: "sparql", text}), under a name the reader gives; saving under a name that exists
// replaces that entry. A store that cannot be read (private mode, full, or edited by hand) counts as empty.

const KEY = "vskg.saved-queries";
const MAX_ENTRIES = 200;

function valid(entry) {
  if (!entry || typeof entry.name !== "string" || !entry.name) return false;
  if (entry.kind === "sparql") return typeof entry.text === "string";
  return entry.kind === "catalogue" && typeof entry.query === "string" && Array.isArray(entry.params);
}

/** Every saved entry, sorted by name. */
export function savedQueries() {
  try {
    const entries = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(entries) ? entries.filter(valid).sort((a, b) => a.name.localeCompare(b.name)) : [];
  } catch {
    return [];
  }
}

function store(entries) {
  window.localStorage.setItem(KEY, JSON.stringify(entries));
}

/** Save (or replace) an entry; throws with a readable message when the browser refuses to keep it. */
export function saveQuery(entry) {
  const others = savedQueries().filter((known) => known.name !== entry.name);
  if (others.length >= MAX_ENTRIES) throw new Error(`at most ${MAX_ENTRIES} queries are kept; delete one first`);
  try {
    store([...others, { ...entry, saved: new Date().toISOString() }]);
  } catch (problem) {
    throw new Error(`the browser did not keep the query (${problem.message})`);
  }
}

export function deleteQuery(name) {
  store(savedQueries().filter((known) => known.name !== name));
}
