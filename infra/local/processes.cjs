'use strict';
// Long-lived JVM processes that outlive the CLI or Jest process starting them: spawned detached
// with a pid file, recognised by a marker on their command line (pids get reused), stopped with a
// grace period before SIGKILL.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { mkdirp, pidAlive, waitFor } = require('./util.cjs');

const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const JVM_COMMON = ['-Xms512m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true', '-XX:TieredStopAtLevel=1'];

const pidFile = (pidsDir, service) => path.join(pidsDir, `${service}.pid`);

/** Starts `java args` in its own process group, output appended to logFile; returns the pid. */
function spawnJava({ service, args, logFile, pidsDir, cwd, java = JAVA }) {
  mkdirp(path.dirname(logFile));
  mkdirp(pidsDir);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(java, [`-Dkafka.suite.service=${service}`, ...args], {
    cwd,
    detached: true, // own process group: survives the CLI / Jest process that started it
    stdio: ['ignore', fd, fd],
    env: { ...process.env, KAFKA_OPTS: '' },
  });
  fs.closeSync(fd);
  child.unref();
  fs.writeFileSync(pidFile(pidsDir, service), String(child.pid));
  return child.pid;
}

/** The live pid of `service`, only if its command line carries our service marker. */
function ourPid(pidsDir, service) {
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile(pidsDir, service), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!pidAlive(pid)) return undefined;
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmd.includes(`-Dkafka.suite.service=${service}`)) return undefined;
  } catch {
    /* no /proc: trust the pid file */
  }
  return pid;
}

/** Signals `service` and waits for it to exit (SIGKILL after graceMs); false when it was not running. */
async function terminate(pidsDir, service, { signal = 'SIGTERM', graceMs = 30000, log = () => {} } = {}) {
  const pid = ourPid(pidsDir, service);
  if (!pid) {
    fs.rmSync(pidFile(pidsDir, service), { force: true });
    return false;
  }
  process.kill(pid, signal);
  try {
    await waitFor(`${service} exit`, graceMs, () => !pidAlive(pid), { intervalMs: 100 });
  } catch {
    log(`${service} (pid ${pid}) ignored ${signal} for ${graceMs / 1000} s; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
    await waitFor(`${service} exit after SIGKILL`, 10000, () => !pidAlive(pid), { intervalMs: 100 });
  }
  fs.rmSync(pidFile(pidsDir, service), { force: true });
  return true;
}

module.exports = { JAVA, JVM_COMMON, spawnJava, ourPid, terminate };
