// scripts/demo once built: starts the demo's stack (demo/stack.mjs), optionally runs the simulator
// first, prints the URLs and stops cleanly on Ctrl-C.
//   node demo/run-demo.mjs [--port N] [--fresh] [--simulate N]
import { readOptions } from './options.mjs';
import { root, startStack } from './stack.mjs';

function options(args) {
  const read = readOptions('scripts/demo', args, { numbers: { '--port': 8787, '--simulate': 0 }, flags: ['--fresh'] });
  const chosen = { port: read['--port'], fresh: read['--fresh'] === true, simulate: read['--simulate'] };
  if (chosen.port > 65533) fail('--port must leave PORT+1 and PORT+2 for the wall and the collector');
  return chosen;
}

function fail(message) {
  console.error(`scripts/demo: ${message}`);
  process.exit(2);
}

const chosen = options(process.argv.slice(2));
const folder = `${root}build/demo`;
let stack;
try {
  // The simulator's ground truth covers everything stored: it starts from an empty database.
  stack = await startStack({ folder, port: chosen.port, fresh: chosen.fresh || chosen.simulate > 0 });
} catch (error) {
  fail(error.message);
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.close();
  console.log('\ndemo stopped');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (chosen.simulate) {
  console.log(`\n== simulating ${chosen.simulate} visitors (seed 1)`);
  const { simulate } = await import('./simulator/simulate.mjs');
  const { differences } = await simulate({ stack, visitors: chosen.simulate, seed: 1, log: console.log });
  if (differences) console.log(`\nthe collector differs from the simulation in ${differences} figures (above)`);
}

const { origin, wall, collector, token } = stack;
console.log(`
ShareTrack demo
  the brand's site      ${origin}/
  a product page        ${origin}/ritual.html   (a video testimonial among three)
  an embedded wall      ${origin}/stories.html  (the wall itself: ${wall}/, a testimonial service)
  the email link        ${origin}/newsletter.html?sub=subscriber-1042
  the conversion        ${origin}/signup.html
  the dashboard         ${collector}/dashboard/    site: ${stack.site}   token: ${token}
  the collector's log   ${folder}/collector.log

Share a testimonial, open the link in a private window, then look at the dashboard.
Ctrl-C stops the demo.`);
