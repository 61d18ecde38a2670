#!/usr/bin/env node
// hybrid-client-conformance: the suite's command, compiled into suite/ when the package is packed (build.ts).
import { main } from './suite/specs/conformance/cli.js';

process.exitCode = await main();
