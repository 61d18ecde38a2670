/** `npm run docs:fidelity`: writes docs/fidelity.md from the rule catalogue and the specs that name its rules. */
import { writeFile } from 'node:fs/promises';
import { fidelityMarkdown, fidelityPath } from './fidelity.ts';
import { specSources, specsByRule } from './spec-index.ts';

await writeFile(fidelityPath, fidelityMarkdown(specsByRule(await specSources())));
console.log(`docs:fidelity: wrote ${fidelityPath}`);
