/**
 * Worker-thread entry of {@link profileFile}: receives batches, profiles them, and on `end`
 * replies with the shard's profile JSON. Messages: `{ t: 'init', options }`,
 * `{ t: 'batch', batch }` (acknowledged with `{ t: 'ack' }`), `{ t: 'end' }` →
 * `{ t: 'profile', profile }` or `{ t: 'error', message, code }`.
 */
import { parentPort } from 'node:worker_threads';
import { Profile, type ProfileOptions } from './profile.js';
import { fromWire, type WireBatch } from './transfer.js';

type Msg = { t: 'init'; options: ProfileOptions } | { t: 'batch'; batch: WireBatch } | { t: 'end' };

let profile: Profile | undefined;
let failed = false;
const port = parentPort;
if (port) {
  port.on('message', (m: Msg) => {
    if (failed) return;
    try {
      if (m.t === 'init') profile = new Profile(m.options);
      else if (m.t === 'batch') {
        profile?.add(fromWire(m.batch));
        port.postMessage({ t: 'ack' });
      } else {
        port.postMessage({ t: 'profile', profile: profile?.toJSON() });
      }
    } catch (e) {
      failed = true;
      const err = e as { message?: string; code?: string; details?: unknown };
      port.postMessage({
        t: 'error',
        message: err.message ?? String(e),
        code: err.code,
        details: err.details,
      });
    }
  });
}
