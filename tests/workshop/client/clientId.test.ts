// A participant's id towards leaders stays the same from one join to the next, even when nothing was shared
// (so the room's page does not list one laptop twice), and differs between databases.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/paths';
import { openDb } from '../../../lib/db/openDb';
import { clientIdOf } from '../../../lib/workshop/client/uploadQueue';
import { clientIdSchema } from '../../../lib/workshop/runUpload';

function idOf(file: string): string {
  const db = openDb(file);
  try {
    return clientIdOf(db);
  } finally {
    db.$client.close();
  }
}

describe('clientIdOf', () => {
  it('is stable for a database with no share yet, valid as an upload client id, and differs per database', () => {
    const dir = makeTempDir('client-id');
    const a = path.join(dir, 'a.db');
    const first = idOf(a);
    expect(idOf(a)).toBe(first);
    expect(clientIdSchema.safeParse(first).success).toBe(true);
    expect(idOf(path.join(dir, 'b.db'))).not.toBe(first);
  });
});
