// Runs the e2e files in a fixed order: package-checks last, because its log check must see the log
// of everything the other files made n8n do.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = ['package-checks.test.ts'];
class E2eSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => LAST.findIndex((name) => t.path.endsWith(name));
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}
module.exports = E2eSequencer;
