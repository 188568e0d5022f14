// Stops only what globalSetup started; services given through KAFKA_BOOTSTRAP_SERVERS, or
// local services still leased by another Jest run, are left alone.
import type { SetupState } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const state: SetupState | undefined = globalThis.__KAFKA_SUITE_SETUP__;
  globalThis.__KAFKA_SUITE_SETUP__ = undefined;
  if (state?.stop) await state.stop();
}
