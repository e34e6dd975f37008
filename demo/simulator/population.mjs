// Who the simulated visitors are and what each will do, decided before any browser starts: from
// the seed alone, so a run can be repeated whatever order the concurrent visits finish in. Each
// visitor's choices come from a random stream of their own; friends are given out breadth first
// until the population is complete.
import { pages } from './browser-visit.mjs';
import { stream } from './random.mjs';

const CHAIN_HOPS = 5;  // one cascade is forced this deep
const friendsPerLink = { copy: [1, 2], x: [1, 3], facebook: [1, 3], linkedin: [0, 2], whatsapp: [1, 2], email: [1, 1],
  addressbar: [1, 2] };
const shareChannels = { copy: 3, x: 2, facebook: 2, linkedin: 1, whatsapp: 2, email: 2, addressbar: 2 };
const browsed = ['/', '/ritual.html', '/stories.html'];

/**
 * The population: `people` by name, in the order planned. A person: { name, bot, generation,
 * chain (hop of the forced cascade, or null), inviter: { name, link } or null, entry (a seed's
 * path), page (where they read and share), script }. A script: { consent, wander, reads, video,
 * reload, shares: [{ content, channel, leave, openOwn, friends: [names] }], again, convert }.
 * `returns`: sharers who come back at the end through a link of someone they brought.
 */
export function planPopulation({ seed, visitors }) {
  if (visitors < CHAIN_HOPS + 2) throw new Error(`at least ${CHAIN_HOPS + 2} visitors make a cascade of ${CHAIN_HOPS} hops`);
  const people = new Map();
  const queue = [];
  let budget = visitors;
  let seeds = 0;
  const add = (person) => {
    people.set(person.name, person);
    queue.push(person);
    budget -= 1;
    return person.name;
  };
  const plan = stream(seed, 'plan');
  const addSeeds = (n) => {
    for (let i = 0; i < n && budget > 0; i++, seeds++) {
      const email = plan.chance(0.15);
      const entry = seeds === 0 ? '/ritual.html'  // the forced cascade starts on the product page
        : email ? `/newsletter.html?sub=subscriber-${1000 + seeds}` : plan.weighted({ '/': 3, '/ritual.html': 4, '/stories.html': 3 });
      add({ name: `s${String(seeds).padStart(3, '0')}`, bot: false, generation: 0, chain: seeds === 0 ? 0 : null,
        inviter: null, entry });
    }
  };
  addSeeds(Math.max(2, Math.round(visitors / 8)));

  while (queue.length) {
    const person = queue.shift();
    person.page = person.inviter ? people.get(person.inviter.name).page : new URL(person.entry, 'http://x').pathname;
    person.script = person.bot ? null : scriptOf(seed, person);
    person.script?.shares.forEach((share, link) => {
      const random = stream(seed, `${person.name}/${link}/friends`);
      const [min, max] = friendsPerLink[share.channel];
      const forced = person.chain !== null && person.chain < CHAIN_HOPS && link === 0;
      const count = forced ? 1 : random.int(min, max);
      for (let i = 0; i < count && budget > 0; i++) {
        share.friends.push(add({ name: `${person.name}.${link + 1}${String.fromCharCode(97 + i)}`, bot: false,
          generation: person.generation + 1, chain: forced && i === 0 ? person.chain + 1 : null,
          inviter: { name: person.name, link } }));
      }
      // Now and then a crawler that runs the page opens a link posted on a network.
      if (['x', 'facebook', 'linkedin'].includes(share.channel) && budget > 0 && random.chance(0.25)) {
        share.friends.push(add({ name: `${person.name}.${link + 1}bot`, bot: true, generation: person.generation + 1,
          chain: null, inviter: { name: person.name, link } }));
      }
    });
    if (!queue.length && budget > 0) addSeeds(Math.max(1, Math.round(visitors / 12)));
  }

  const brought = (person, ancestor) => {
    for (let at = person.inviter; at; at = people.get(at.name).inviter) if (at.name === ancestor.name) return true;
    return false;
  };
  const sharers = [...people.values()].filter((p) => p.script?.shares.length);
  const returns = [];
  for (const person of sharers) {
    if (returns.length >= Math.max(1, Math.round(visitors / 30))) break;
    const downstream = sharers.filter((q) => brought(q, person));
    if (!downstream.length) continue;
    const random = stream(seed, `${person.name}/return`);
    const through = random.pick(downstream);
    returns.push({ name: person.name, through: { name: through.name, link: random.int(0, through.script.shares.length - 1) } });
  }
  return { people, returns };
}

// One visitor's session, from their own stream.
function scriptOf(seed, person) {
  const random = stream(seed, person.name);
  const chained = person.chain !== null && person.chain < CHAIN_HOPS;
  const consent = person.page === '/newsletter.html' ? random.chance(0.75) : null;
  const wander = !chained && random.chance(0.15) ? random.pick(browsed.filter((path) => path !== person.page)) : null;
  if (wander) person.page = wander;
  const { contents, video } = pages[person.page];
  const script = {
    consent,
    wander,
    reads: Array.from({ length: random.int(0, 2) }, () => random.pick(contents)),
    video: video && random.chance(0.3) ? (random.chance(0.4) ? 'whole' : 'part') : null,
    reload: random.chance(0.1),
    shares: [],
    again: false,
    convert: false,
  };
  const count = chained ? 1 : random.chance(Math.max(0.2, 0.7 - 0.1 * person.generation)) ? (random.chance(0.15) ? 2 : 1) : 0;
  for (let k = 0; k < count; k++) {
    const forced = chained && k === 0;
    const channel = forced ? 'copy' : random.weighted(shareChannels);
    const share = { content: forced ? 'ritual/jon' : random.pick(contents), channel, leave: !forced && random.chance(0.2),
      openOwn: false, friends: [] };
    share.openOwn = !share.leave && channel !== 'addressbar' && random.chance(0.08);
    script.shares.push(share);
    if (share.leave) return script;  // gone right after sharing
  }
  script.again = person.inviter !== null && random.chance(0.1);
  script.convert = random.chance(person.inviter ? 0.18 : person.page === '/newsletter.html' ? 0.1 : 0.06);
  return script;
}
