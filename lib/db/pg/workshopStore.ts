// The workshop's database operations behind one asynchronous interface, on SQLite (lib/workshop, lib/records) or
// PostgreSQL (this folder), so the upload, progress and leaderboard routes and `wattbench workshop` call one thing
// whichever database the leader chose (`getWorkshopStore`: WATTBENCH_DATABASE_URL set → PostgreSQL).
import type { Db } from '../openDb';
import type { WorkshopRow } from '../schema';
import type { Lang } from '../../i18n/lang';
import { getWorkshopBoard, getWorkshopByCode, type WorkshopBoard } from '../../records/workshop';
import { ingestRun, type IngestResult } from '../../workshop/ingestRun';
import { recordProgress, type ProgressReport } from '../../workshop/recordProgress';
import type { RunUpload } from '../../workshop/runUpload';
import { ingestRunPg } from './ingestRunPg';
import type { PgDb } from './openPgDb';
import { getWorkshopBoardPg } from './workshopBoardPg';
import { getWorkshopByCodePg, recordProgressPg } from './workshopPg';

export interface WorkshopStore {
  dialect: 'sqlite' | 'postgres';
  getWorkshopByCode(code: string): Promise<WorkshopRow | null>;
  /** One transaction; the same upload twice is stored once (`duplicate: true` the second time). */
  ingestRun(workshop: Pick<WorkshopRow, 'id'>, upload: RunUpload, uploadedAt?: number): Promise<IngestResult>;
  recordProgress(workshopId: number, report: ProgressReport, now?: number): Promise<void>;
  getBoard(workshop: WorkshopRow, lang?: Lang): Promise<WorkshopBoard>;
}

export function sqliteWorkshopStore(db: Db): WorkshopStore {
  return {
    dialect: 'sqlite',
    getWorkshopByCode: async (code) => getWorkshopByCode(db, code),
    ingestRun: async (workshop, upload, uploadedAt) => ingestRun(db, workshop, upload, uploadedAt),
    recordProgress: async (workshopId, report, now) => recordProgress(db, workshopId, report, now),
    getBoard: async (workshop, lang) => getWorkshopBoard(db, workshop, lang),
  };
}

export function pgWorkshopStore(db: PgDb): WorkshopStore {
  return {
    dialect: 'postgres',
    getWorkshopByCode: (code) => getWorkshopByCodePg(db, code),
    ingestRun: (workshop, upload, uploadedAt) => ingestRunPg(db, workshop, upload, uploadedAt),
    recordProgress: (workshopId, report, now) => recordProgressPg(db, workshopId, report, now),
    getBoard: async (workshop, lang) => {
      const board = await getWorkshopBoardPg(db, workshop.code, lang);
      if (!board) throw new Error(`workshop ${workshop.code} is no longer in the database`);
      return board;
    },
  };
}
