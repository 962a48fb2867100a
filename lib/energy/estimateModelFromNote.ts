// Energy rows keep an estimate's model in their note; the label and the constant-share check read it back.

/** The estimate's model as an energy row's note names it ("…; estimate: CodeCarbon CPU-load model (TDP 65 W)"). */
export function estimateModelFromNote(note: string | null): string | null {
  const part = note?.split('; ').find((p) => p.startsWith('estimate: '));
  return part ? part.slice('estimate: '.length) : null;
}
