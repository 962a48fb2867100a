// Creates a workshop (`wattbench workshop`): a fresh join code, a secret upload token (returned once, stored as
// its sha256), the suite and the model files to serve, each with its sha256 and size read from the file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { workshops, type WorkshopRow } from '../db/schema';
import type { Suite } from '../suites/suiteSchema';
import { InputError } from '../errors/WattbenchError';
import { generateJoinCode } from './joinCode';
import { generateUploadToken, hashUploadToken } from './uploadToken';
import type { WorkshopModel } from './workshopModels';

export interface CreateWorkshopOptions {
  name: string;
  suite: Suite;
  /** The model files to serve; a sha256 already computed (inspectModelFile's) saves reading the file again. */
  models: ReadonlyArray<{ path: string; sha256?: string }>;
}

export interface CreatedWorkshop {
  workshop: WorkshopRow;
  code: string;
  /** The secret upload token: shown to the leader once, never stored. */
  token: string;
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

async function describeModel(m: { path: string; sha256?: string }): Promise<WorkshopModel> {
  const file = path.resolve(m.path);
  let bytes: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    bytes = stat.size;
  } catch (err) {
    throw new InputError(`model file ${file} cannot be served (${(err as Error).message}); pass --model with a readable .gguf file`);
  }
  return { fileName: path.basename(file), sha256: m.sha256 ?? (await sha256OfFile(file)), bytes, path: file };
}

export async function createWorkshop(db: Db, options: CreateWorkshopOptions): Promise<CreatedWorkshop> {
  const name = options.name.trim();
  if (!name || name.length > 120) throw new InputError('workshop name must be 1 to 120 characters; pass --name with a shorter text');
  const models: WorkshopModel[] = [];
  for (const m of options.models) models.push(await describeModel(m));
  const token = generateUploadToken();
  // A collision among 32^6 codes is rare; the unique index decides, and a new code is drawn.
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = generateJoinCode();
    const inserted = db
      .insert(workshops)
      .values({ code, name, suiteName: options.suite.name, suite: options.suite, models, tokenSha256: hashUploadToken(token), createdAt: Date.now() })
      .onConflictDoNothing({ target: workshops.code })
      .run();
    if (inserted.changes === 1) {
      const workshop = db.select().from(workshops).where(eq(workshops.code, code)).get()!;
      return { workshop, code, token };
    }
  }
  throw new Error('could not draw a free join code in 20 tries');
}
