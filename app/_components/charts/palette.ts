// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), in drawing order,
// with dash patterns and marker shapes so series also differ without colour.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#999999'] as const;
export const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'] as const;
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'star', 'cross', 'wye'] as const;

export const color = (i: number) => PALETTE[i % PALETTE.length];
export const dash = (i: number) => DASHES[i % DASHES.length] || undefined;
export const shape = (i: number) => SHAPES[i % SHAPES.length];
