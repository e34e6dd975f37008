// The command-line options of the demo, the simulator and the fault matrix: `--name N` positive whole
// numbers with defaults, `--name TEXT`, and flags. An unknown option, a missing value or a bad
// number exits 2 with what the program takes.
export function readOptions(program, args, { numbers = {}, texts = [], flags = [] }) {
  const usage = [...Object.keys(numbers).map((name) => `${name} N`), ...texts.map((name) => `${name} TEXT`), ...flags];
  const fail = (problem) => {
    console.error(`${program}: ${problem} (${usage.join(', ')})`);
    process.exit(2);
  };
  const options = { ...numbers };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (flags.includes(arg)) {
      options[arg] = true;
    } else if (arg in numbers || texts.includes(arg)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) fail(`${arg} needs a value`);
      const n = Number(value);
      if (arg in numbers && !(Number.isInteger(n) && n > 0)) fail(`${arg} needs a positive whole number, not '${value}'`);
      options[arg] = arg in numbers ? n : value;
    } else {
      fail(`unknown option '${arg}'`);
    }
  }
  return options;
}
