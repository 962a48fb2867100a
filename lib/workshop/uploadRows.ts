// An upload as the rows a local run has (pure: no database, no clock), so the SQLite ingest and a PostgreSQL
// store write the same rows. Ids are the store's: the run's model and machine ids, and each repetition energy
// row's result id, are filled in by the writer (`resultIndex` says which result).
import type { energy, hardware, models, results, runs, samples } from '../db/schema';
import { uploadKeyOf, type RunUpload } from './runUpload';

type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];

export interface UploadRows {
  /** Found or created by fingerprint; the hostname stays with the participant: the nickname names the machine. */
  hardware: Omit<Insert<typeof hardware>, 'id'>;
  /** Found or created by sha256. */
  model: Omit<Insert<typeof models>, 'id'>;
  run: Omit<Insert<typeof runs>, 'id' | 'modelId' | 'hardwareId'>;
  results: Array<Omit<Insert<typeof results>, 'id' | 'runId'>>;
  energy: Array<Omit<Insert<typeof energy>, 'id' | 'runId' | 'resultId'> & { resultIndex: number | null }>;
  samples: Array<Omit<Insert<typeof samples>, 'id' | 'runId'>>;
  workshopRun: { uploadKey: string; clientId: string; nickname: string; uploadedAt: number };
}

export function uploadRows(upload: RunUpload, uploadedAt: number): UploadRows {
  const { run } = upload;
  return {
    hardware: { ...upload.hardware, hostname: upload.nickname, createdAt: uploadedAt },
    model: { ...upload.model, createdAt: uploadedAt },
    run: {
      ...run,
      // The participant's process: never "this machine's" for orphan recovery (the run is completed anyway).
      pid: 0,
      pidStartTicks: null,
      kind: null,
    },
    results: upload.results.map((r) => ({ ...r })),
    energy: upload.energy.map((e) => ({ ...e })),
    samples: upload.samples.map((s) => ({ ...s })),
    workshopRun: {
      uploadKey: uploadKeyOf(upload.clientId, upload.localRunId, run.startedAt),
      clientId: upload.clientId,
      nickname: upload.nickname,
      uploadedAt,
    },
  };
}
