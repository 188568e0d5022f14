import { createRequire } from 'node:module';

export type PlatformaticLibrary = typeof import('./vendor');

let library: PlatformaticLibrary | undefined;
let LibraryMap: MapConstructor = Map;

/**
 * The Map constructor of the realm the library runs in. The library tells header Maps from header
 * Records with `instanceof Map`; under Jest our code runs in a vm context whose Map is another class,
 * so a Map built there would be read as a Record (and its Buffer-keyed entries lost).
 */
export function libraryMap(): MapConstructor {
  loadPlatformatic();
  return LibraryMap;
}

/**
 * The library, loaded on first use: it costs 0.45-0.85 s, which a kafkajs connection must not pay.
 *
 * Built package: ./vendor.js next to this file is the esbuild bundle (CommonJS, no dependency).
 * From source (ts-jest): ./vendor is the .ts re-export of an ES-module-only package. Jest's require
 * refuses ES modules and its node:module hands out that same require, so we take Node's own from
 * process.getBuiltinModule, which loads the package natively (require(esm), Node >= 22.12; the
 * library needs >= 22.22 / 24.6 anyway).
 */
export function loadPlatformatic(): PlatformaticLibrary {
  if (library) return library;
  if (__filename.endsWith('.ts')) {
    const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const nodeModule = (getBuiltin?.('node:module') as typeof import('node:module') | undefined) ?? { createRequire };
    const nodeRequire = nodeModule.createRequire(__filename);
    library = nodeRequire('@platformatic/kafka') as PlatformaticLibrary;
    LibraryMap = (nodeRequire('node:vm') as typeof import('node:vm')).runInThisContext('Map') as MapConstructor;
  } else {
    library = createRequire(__filename)('./vendor.js') as PlatformaticLibrary;
  }
  return library;
}
