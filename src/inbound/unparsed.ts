// Inbound mail that could not be used (not a report Sendarix reads, or about no message it knows) is never
// dropped: it is kept as it came under <dataDir>/inbound-unparsed/, one .eml file each, for an operator to read.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const UNPARSED_DIR = 'inbound-unparsed';

/** Writes `raw` to `<dataDir>/inbound-unparsed/<timestamp>.eml` (a suffix keeps two in one millisecond apart). */
export async function keepUnparsed(dataDir: string, raw: Buffer): Promise<string> {
  const dir = path.join(dataDir, UNPARSED_DIR);
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${stamp}${n === 1 ? '' : `-${n}`}.eml`);
    try {
      await writeFile(file, raw, { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
