/**
 * The native app's flags. An unknown flag, or a value given to one, is refused in one line with exit 2: a typo must
 * not sign a user out when they meant to keep the sign-in.
 */
import { parseArgs } from 'node:util';

export interface NativeAppFlags {
  openBrowser: boolean;
  refresh: boolean;
  keep: boolean;
  forget: boolean;
}

export const helpText = `native-app [options]

Signs a user in through the system browser and a loopback redirect (the hybrid flow, form_post), lists the tenant's
namespaces, refreshes the access token, and signs out. Settings come from the environment and native-app/.env
(ISSUER_URL, CLIENT_ID, CLIENT_SECRET, TENANT_ID, REDIRECT_URI, ...); beside \`npm start\`, MOCK_IDP_PORT names the mock.

  --no-browser   print the address to open instead of opening the browser
  --refresh      refresh the access token (it is refreshed anyway when it has less than a minute left)
  --keep         keep the refresh token for the next run (an owner-only file) instead of signing out
  --forget       revoke the kept refresh token and remove its file
  --help         this text`;

export type CommandLine =
  | { kind: 'help' }
  | { kind: 'problem'; line: string }
  | { kind: 'run'; flags: NativeAppFlags };

export function readCommandLine(args: string[]): CommandLine {
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'no-browser': { type: 'boolean' },
        refresh: { type: 'boolean' },
        keep: { type: 'boolean' },
        forget: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) return { kind: 'help' };
    return {
      kind: 'run',
      flags: {
        openBrowser: !values['no-browser'],
        refresh: values.refresh === true,
        keep: values.keep === true,
        forget: values.forget === true,
      },
    };
  } catch (error) {
    return { kind: 'problem', line: `${(error as Error).message.split('\n')[0]} (see --help)` };
  }
}
