// Seeded randomness for the simulator: one stream per name (a visitor, the plan), so a visitor's
// choices do not depend on the order in which concurrent visits happen to finish.

// FNV-1a, to turn the seed and a name into a stream's state.
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A stream of numbers in [0, 1) for `name` under `seed` (mulberry32). */
export function stream(seed, name) {
  let state = hash(`${seed}/${name}`);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    // One of `weights`' keys, each as likely as its weight.
    weighted(weights) {
      const total = Object.values(weights).reduce((a, b) => a + b, 0);
      let at = next() * total;
      for (const [key, weight] of Object.entries(weights)) if ((at -= weight) < 0) return key;
      return Object.keys(weights).at(-1);
    },
  };
}
