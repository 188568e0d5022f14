// `nativeImport(specifier)`: import an ES module (the n8n harness) with Node's loader, never Jest's.
// Why: see nativeImport.cjs.
import { createRequire } from 'node:module';
import * as path from 'node:path';

// node:module is a core module, so this is Node's createRequire and the require it returns loads
// outside the test file's module registry and VM context.
const realRequire = createRequire(__filename);
export const nativeImport = realRequire(path.join(__dirname, 'nativeImport.cjs')) as (specifier: string) => Promise<any>;
