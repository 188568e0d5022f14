// Loads an ES module with Node's own loader, outside Jest's sandbox.
//
// ts-jest compiles `import()` to `require()`, which cannot load ESM on Node 20, so the suites used
// `new Function('return import(x)')`. Inside a test file that import() goes through Jest's
// per-file `importModuleDynamically` callback, and V8 may reuse a compiled function from an
// earlier file of the same worker whose environment is already torn down: CI failed once with
// "Test environment has been torn down" at the first harness import of the fourth chaos file.
// This file is required through Node's real `require` (see nativeImport.ts), so its import() never
// reaches Jest.
module.exports = (specifier) => import(specifier);
