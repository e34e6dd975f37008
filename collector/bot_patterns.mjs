// Writes the C++ source of the collector's bot list from the isbot npm package pinned in
// package-lock.json, so the list is maintained upstream and its version recorded.
// Usage: node bot_patterns.mjs OUTPUT.cpp
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { list } = require('isbot');
const { version } = require('isbot/package.json');
const delimiter = ')isbot';
const lines = list.map((pattern) => {
  if (pattern.includes('\n') || pattern.includes(delimiter)) throw new Error(`unexpected isbot pattern: ${pattern}`);
  return pattern;
});
writeFileSync(
  process.argv[2],
  `// Generated from the isbot ${version} npm package by collector/bot_patterns.mjs: do not edit.
#include "bot_list.hpp"

namespace sharetrack::collector {

const char* const kBotListSource = "isbot ${version} (npm), ${lines.length} patterns";
const char* const kBotPatterns = R"isbot(${lines.join('\n')})isbot";

}  // namespace sharetrack::collector
`,
);
