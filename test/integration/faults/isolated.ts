// Fault tests kill brokers and stop registries. They never touch the services other test files
// share: each fault test file gets its own instance of infra/local/services.cjs, loaded with its
// own state dir and ports (the module reads KAFKA_SUITE_STATE and the *_PORT variables once, at
// load time, so a fresh module instance with a temporary environment is a separate service set).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalServices } from '../../setup/facts';

const SERVICES = path.resolve(__dirname, '..', '..', '..', 'infra', 'local', 'services.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { portFree, portBlockEnv } = require(path.resolve(__dirname, '..', '..', '..', 'infra', 'local', 'util.cjs')) as {
  portFree(port: number): Promise<boolean>;
  portBlockEnv(base: number): Record<string, string>;
};

export interface IsolatedServices extends LocalServices {
  start(options: { connect?: boolean; registry?: boolean; log?: (msg: string) => void }): Promise<unknown>;
  stop(): Promise<{ stopped: string[] }>;
  facts(): {
    bootstrap: { plaintext: string; sasl: string };
    schemaRegistry: { url: string };
    logs: { broker: string; registry: string };
    stateDir: string;
  };
  PORTS: Record<string, number>;
}

/**
 * A block of 7 free ports (plaintext, ssl, sasl, sasl_ssl, controller, registry, connect), picked at
 * random so that two Jest runs (two engineers, two clones) on one machine do not collide.
 */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 40_000 + 10 * Math.floor(Math.random() * 1_500);
    let free = true;
    for (let i = 0; i < 7 && free; i++) free = await portFree(base + i);
    if (free) return base;
  }
  throw new Error('no block of 7 free ports found between 40000 and 55000');
}

/** A separate copy of the local services (own ports, own state dir under .cache/faults/). */
export async function isolatedServices(name: string): Promise<IsolatedServices & { dispose(): Promise<void> }> {
  const base = await freePortBlock();
  const cache = path.resolve(process.env.KAFKA_SUITE_CACHE || path.resolve(__dirname, '..', '..', '..', '.cache'));
  const stateDir = path.join(cache, 'faults', `${name}-${process.pid}`);
  const env: Record<string, string> = { KAFKA_SUITE_STATE: stateDir, ...portBlockEnv(base) };
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) {
    saved[key] = process.env[key];
    process.env[key] = env[key];
  }
  let services: IsolatedServices | undefined;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      services = require(SERVICES) as IsolatedServices;
    });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const loaded = services;
  if (!loaded || loaded.PORTS.plaintext !== base) throw new Error(`could not load an isolated copy of ${SERVICES}`);
  return Object.assign(loaded, {
    /** Stops whatever this copy started and removes its state dir. */
    async dispose() {
      await loaded.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  });
}
