/**
 * Starts tracing before the application's modules load:
 *
 *   node --import tsx --import ./telemetry/register.ts gateway.ts
 *
 * When the OTEL_* variables ask for no export this does nothing else (no SDK, no hooks). When
 * they do, it registers the import-in-the-middle loader hook for the instrumented modules
 * only (ESM imports of `http`/`graphql` are then patchable too), starts the SDK, and waits
 * until the loader has acknowledged the hooks, so the app's first import is already patched.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { startTracing, tracingFromEnvironment } from './tracing.ts';

if (isMainThread) {
  if (tracingFromEnvironment().enabled) {
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
    startTracing();
    await waitForAllMessagesAcknowledged();
  } else {
    startTracing(); // records why tracing is off, for tracingStatus()
  }
}
