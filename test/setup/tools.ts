import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Makes sure a command-line peer (kcat, promtool, chromium...) is present, installing its Debian
 * package when we run as root (CI does). Tests must not silently skip when a tool is missing:
 * this throws with the reason instead.
 */
export function ensureCommand(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  if (process.getuid?.() !== 0) {
    throw new Error(`${command} is missing: install the Debian package "${debianPackage}" (needs root)`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('sh', ['-c', `apt-get install -y -q ${debianPackage} || (apt-get update -q && apt-get install -y -q ${debianPackage})`], {
    stdio: 'inherit',
    env,
  });
  const again = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (again.status !== 0) throw new Error(`${command} still missing after installing ${debianPackage}`);
  return again.stdout.trim();
}
