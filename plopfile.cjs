// Lets plain `npx plop` in this repository run the generators from their TypeScript sources:
// esbuild (a devDependency) bundles generators/plopfile.ts into .cache/ on each start, libraries
// stay in node_modules. Installed packages use dist/bin/kafka-suite.js instead, which is both the
// CLI and a self-contained plopfile (`plop --plopfile node_modules/n8n-nodes-kafka-suite/dist/bin/kafka-suite.js`).
const path = require('node:path');
const { buildSync } = require('esbuild');

const outfile = path.join(__dirname, '.cache', 'plopfile', 'plopfile.cjs');
buildSync({
  entryPoints: [path.join(__dirname, 'generators', 'plopfile.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
module.exports = require(outfile).default;
