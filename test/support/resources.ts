/**
 * Open pools and servers of the running test file, checked by the leak-check environment after
 * the file's last hook.
 */
function registry(): Set<string> {
  const holder = globalThis as { __outreachOpenResources?: Set<string> };
  holder.__outreachOpenResources ??= new Set();
  return holder.__outreachOpenResources;
}

let counter = 0;

/** Records an open resource; the returned function records it closed. */
export function trackOpen(description: string): () => void {
  const id = `${description} #${++counter}`;
  registry().add(id);
  return () => void registry().delete(id);
}
