import crypto from 'node:crypto';
import fs from 'node:fs';

/** Streams the file through SHA-256 (model files are gigabytes: never read them whole). */
export async function sha256File(filePath: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
