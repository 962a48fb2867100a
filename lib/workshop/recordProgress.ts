// A participant's progress report (POST /api/workshops/CODE/progress): validated, then one row per machine
// replaced, so the workshop page lists the machines as they join and what each is doing.
import { z } from 'zod';
import type { Db } from '../db/openDb';
import { workshopParticipants } from '../db/schema';
import { clientIdSchema, nicknameSchema } from './runUpload';

export const WORKSHOP_PHASES = ['joined', 'downloading', 'running', 'publishing', 'done', 'failed'] as const;

export const progressSchema = z.object({
  clientId: clientIdSchema,
  nickname: nicknameSchema,
  phase: z.enum(WORKSHOP_PHASES),
  done: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
  detail: z.string().max(200).regex(/^[^\p{Cc}]*$/u, 'detail holds control characters').optional(),
});
export type ProgressReport = z.infer<typeof progressSchema>;

export function recordProgress(db: Db, workshopId: number, p: ProgressReport, now = Date.now()): void {
  const values = { nickname: p.nickname, phase: p.phase, done: p.done ?? null, total: p.total ?? null, detail: p.detail ?? null, updatedAt: now };
  db.insert(workshopParticipants)
    .values({ workshopId, clientId: p.clientId, joinedAt: now, ...values })
    .onConflictDoUpdate({ target: [workshopParticipants.workshopId, workshopParticipants.clientId], set: values })
    .run();
}
