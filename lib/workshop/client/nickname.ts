// An anonymous nickname for the leaderboard (adjective-animal), so nobody has to publish their name.
import { randomInt } from 'node:crypto';

const ADJECTIVES = ['amber', 'brave', 'calm', 'clever', 'eager', 'gentle', 'happy', 'jolly', 'keen', 'lucky', 'mellow', 'nimble', 'quiet', 'rapid', 'sunny', 'swift', 'tidy', 'witty'];
const ANIMALS = ['badger', 'beaver', 'falcon', 'ferret', 'gecko', 'heron', 'ibex', 'koala', 'lynx', 'marmot', 'otter', 'panda', 'puffin', 'quokka', 'robin', 'seal', 'walrus', 'wombat'];

export function anonymousNickname(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
}

/** A nickname as given (--nickname): trimmed, 1 to 40 printable characters. Null when unusable. */
export function cleanNickname(name: string): string | null {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed === '' || trimmed.length > 40 || /[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  return trimmed;
}
