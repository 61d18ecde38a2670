/** `npm run docs:testing`: rewrites the scenario table of docs/testing-your-app.md from the scenario catalogue. */
import { readFile, writeFile } from 'node:fs/promises';
import { testingGuidePath, withScenarioTable } from './testing-guide.ts';

await writeFile(testingGuidePath, withScenarioTable(await readFile(testingGuidePath, 'utf8')));
console.log(`docs:testing: wrote ${testingGuidePath}`);
