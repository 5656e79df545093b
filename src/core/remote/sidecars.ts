// A Hub checkpoint's sidecar files (tokenizer, config.json, adapter_config.json, model card) fetched from the same
// snapshot as its weights (pinned to the commit when the server named it), under the same size limits as local ones.
import { SidecarProblem, type SidecarSource } from '../sidecars/source';
import { t } from '../l10n';
import type { RemoteCheckpoint } from './checkpoint';
import { RemoteError } from './errors';
import { resolveUrl } from './hub';

/** A model card is read whole up to this size, then only its start is used (a Range request could end short). */
const MAX_CARD_FETCH = 1 << 20;

export function remoteSidecars(remote: RemoteCheckpoint): SidecarSource {
  const { folder } = remote;
  const urlOf = (name: string): string => resolveUrl(remote.endpoint, remote.ref.repo, remote.commit ?? remote.ref.revision, folder ? `${folder}/${name}` : name);
  const get = async (name: string, maxBytes: number): Promise<Buffer | null> => {
    try {
      const res = await remote.client.getSmall(urlOf(name), maxBytes, true);
      return res ? res.body : null;
    } catch (e) {
      if (e instanceof RemoteError) throw new SidecarProblem(t('{0}: {1}', name, e.message));
      throw e;
    }
  };
  return {
    read: get,
    async readStart(name, maxBytes) {
      const body = await get(name, Math.max(maxBytes, MAX_CARD_FETCH));
      return body ? body.subarray(0, maxBytes) : null;
    },
  };
}
