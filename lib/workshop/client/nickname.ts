// An anonymous nickname for the leaderboard (adjective-animal), so nobody has to publish their name.
import { randomInt } from 'node:crypto';
import { nicknameSchema } from '../runUpload';

const ADJECTIVES = ['amber', 'brave', 'calm', 'clever', 'eager', 'gentle', 'happy', 'jolly', 'keen', 'lucky', 'mellow', 'nimble', 'quiet', 'rapid', 'sunny', 'swift', 'tidy', 'witty'];
const ANIMALS = ['badger', 'beaver', 'falcon', 'ferret', 'gecko', 'heron', 'ibex', 'koala', 'lynx', 'marmot', 'otter', 'panda', 'puffin', 'quokka', 'robin', 'seal', 'walrus', 'wombat'];

export function anonymousNickname(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
}

/** A nickname as given (--nickname), by the upload's own rule (1 to 40 characters, no control characters); null when unusable. */
export function cleanNickname(name: string): string | null {
  const parsed = nicknameSchema.safeParse(name);
  return parsed.success ? parsed.data : null;
}
