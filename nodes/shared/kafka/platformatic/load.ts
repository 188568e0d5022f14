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
  stopRetryingAuthenticationFailures(library);
  return library;
}

/**
 * A patch we carry (upstream-style, tested in test/unit/platformatic/carriedPatches.test.ts).
 *
 * The library wraps a SASL AuthenticationError (canRetry: false) in a NetworkError (canRetry: true),
 * and its retry check (`findBy('canRetry', false)`) looks at the outer error only. So a wrong or
 * rotated password was retried `retries` times: 6 connections per send and 36 (24 s) per trigger
 * activation in test/integration/faults/sasl-password-changed, where kafkajs made 1-3. A broker does
 * not accept a credential it refused a moment ago, so a connection failure caused by authentication
 * is final.
 */
export function stopRetryingAuthenticationFailures(lib: PlatformaticLibrary): void {
  const proto = lib.NetworkError.prototype as unknown as { findBy(property: string, value: unknown): unknown; cause?: unknown };
  if (Object.prototype.hasOwnProperty.call(proto, 'findBy')) return;
  const inherited = proto.findBy;
  const authenticationCode = lib.AuthenticationError.code;
  Object.defineProperty(proto, 'findBy', {
    configurable: true,
    writable: true,
    value: function findBy(this: typeof proto, property: string, value: unknown): unknown {
      const found = inherited.call(this, property, value);
      if (found || property !== 'canRetry' || value !== false) return found;
      const cause = this.cause as { code?: string } | undefined;
      return cause?.code === authenticationCode ? cause : null;
    },
  });
}
