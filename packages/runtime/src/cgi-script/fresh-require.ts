import { sep } from "node:path";

const NODE_MODULES = `${sep}node_modules${sep}`;

/**
 * `require(specifier)` as a CGI process ran it: a fresh copy of the local module (and of the
 * local modules it loads in turn), evaluated now, so its module-level state starts anew and
 * the code it runs when loaded runs inside the current request. Packages under
 * `node_modules` are shared, as they hold no request's state. Migrate loads a helper this
 * way when it keeps state or runs code when loaded; others keep a plain `require`.
 *
 * @example
 * const store = freshRequire(require, "../lib/sessions.js");
 */
export function freshRequire(localRequire: NodeJS.Require, specifier: string): unknown {
  forget(localRequire.cache, localRequire.resolve(specifier), new Set());
  return localRequire(specifier);
}

function forget(cache: NodeJS.Dict<NodeJS.Module>, path: string, seen: Set<string>): void {
  if (seen.has(path) || path.includes(NODE_MODULES)) return;
  seen.add(path);
  const module = cache[path];
  if (!module) return;
  delete cache[path];
  // The parent would otherwise keep every request's copy in its children.
  const siblings = (module as { parent?: NodeJS.Module | null }).parent?.children;
  const at = siblings ? siblings.indexOf(module) : -1;
  if (at >= 0) siblings!.splice(at, 1);
  for (const child of module.children) forget(cache, child.id, seen);
}
