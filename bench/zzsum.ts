import { readdirSync } from 'node:fs';
import { summarize } from './lib/cpuProfile.js';
const dir = '/tmp/prof/';
console.log(summarize(dir + readdirSync(dir)[0], 45));
