// The routes an express app serves, found by walking its own router, and their paths filled with
// real values: tests that must cover every route (access, fuzzing) take the list from here, so a
// route added later is covered without touching them.
import type { Express } from 'express';

export interface WalkedRoute {
  method: string;
  /** As declared, e.g. "/api/topics/:key". */
  path: string;
}

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  rawPath?: string | string[];
  handle?: { stack?: Layer[]; router?: { stack: Layer[] } };
};

/** Every method and path the app answers, from its router and the routers and apps mounted in it. */
export function walkRoutes(app: Express): WalkedRoute[] {
  const found: WalkedRoute[] = [];
  const join = (prefix: string, path: string) => (path === '/' ? prefix : `${prefix}${path}`);
  const visit = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          for (const method of Object.keys(layer.route.methods)) {
            // router.all would answer every method: this walk could not tell which to try.
            if (method === '_all') throw new Error(`${path} answers every method: list them instead`);
            found.push({ method: method.toUpperCase(), path: join(prefix, path) || '/' });
          }
        }
        continue;
      }
      // A mounted router has a stack; a mounted express app (the queue dashboard) has a router.
      const inner = layer.handle?.stack ?? layer.handle?.router?.stack;
      if (inner) for (const path of [layer.rawPath ?? '/'].flat()) visit(inner, join(prefix, path));
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}

export const routeKey = (route: WalkedRoute) => `${route.method} ${route.path}`;

/**
 * The path with its parameters filled from `values`: a parameter is looked up first as
 * "resource/name" (`:key` after `/topics` is "topics/key"), then by its name alone, else "1".
 */
export function fillPath(path: string, values: Record<string, string>): string {
  return path
    .replace(/\{\*(\w+)\}/g, (_, name: string) => values[name]!)
    .replace(/:(\w+)/g, (_, name: string, offset: number) => {
      const resource = path.slice(0, offset).split('/').filter(Boolean).at(-1)!;
      return values[`${resource}/${name}`] ?? values[name] ?? '1';
    });
}
