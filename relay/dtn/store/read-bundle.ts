import { join } from 'node:path';
import { errnoOf, ioError } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { fileNameFor } from './paths.ts';
import { decodeRecord, RecordError } from './record.ts';
import type { Entry } from './scan.ts';

/**
 * A bundle's payload read back from its file and verified against the file's checksums. Undefined when
 * the file is gone (deleted meanwhile) or holds another bundle under that bundle's own name (then the
 * entry, an unchecked snapshot's, is what is wrong, and the check after open replaces it); a
 * RecordError when the file itself is bad and should be quarantined. Throws StoreError on I/O errors.
 */
export async function readBundle(fs: FsOps, dir: string, e: Entry): Promise<Uint8Array | RecordError | undefined> {
  let file: Uint8Array;
  try {
    file = await fs.readFile(join(dir, e.name));
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw ioError('get', err);
  }
  try {
    const { header, payload } = decodeRecord(file);
    if (header.meta.id === e.meta.id) return payload;
    return fileNameFor(header.meta.id) === e.name ? undefined : new RecordError('file holds another bundle');
  } catch (err) {
    if (err instanceof RecordError) return err;
    throw err;
  }
}
