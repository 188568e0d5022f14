'use strict';
// Cross-process lock: several engineers' Jest runs may call start/stop at the same moment.
// mkdir is atomic; a lock whose owner died is taken over.

const fs = require('node:fs');
const path = require('node:path');
const { mkdirp, pidAlive } = require('./util.cjs');

/** Runs fn() holding the lock folder `lockDir`; re-entrant within one process. */
async function withLock(lockDir, fn, { log = () => {}, timeoutMs = 20 * 60 * 1000 } = {}) {
  mkdirp(path.dirname(lockDir));
  const owner = path.join(lockDir, 'pid');
  const end = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder;
      try {
        holder = Number(fs.readFileSync(owner, 'utf8'));
      } catch {
        holder = undefined;
      }
      if (holder === process.pid) {
        // Re-entrant use from this process (e.g. startBroker inside start) runs unlocked.
        return fn();
      }
      if (holder !== undefined && !pidAlive(holder)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${lockDir} (held by pid ${holder})`);
      if (!announced) {
        log(`waiting for another process (pid ${holder}) using the services lock`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

module.exports = { withLock };
