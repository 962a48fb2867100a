// The join code's format (6 characters a room can read off a projector and type: no 0/O, 1/I). Apart from
// joinCode.ts's generator (node:crypto) so the browser's bundle can check a code too.
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;
export const JOIN_CODE_PATTERN = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/;

export function isJoinCode(value: string): boolean {
  return JOIN_CODE_PATTERN.test(value);
}
