/** The mock identity server's settings, from the environment, checked at start with one message per problem. */
import { z } from 'zod';
import type { MockIdpOptions } from './server.ts';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const environment = z.object({
  MOCK_IDP_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  MOCK_IDP_HOST: z.string().min(1).default('127.0.0.1'),
  MOCK_IDP_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  MOCK_IDP_ISSUER_URI: z.url({ protocol: /^https?$/ }).optional(),
  MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(10 * 365 * 86_400)
    .optional(),
  MOCK_IDP_DATA_DIR: z.string().min(1).optional(),
  MOCK_IDP_SEED_FILE: z.string().min(1).optional(),
  MOCK_IDP_TEST_CONTROLS: flag.default(false),
  MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
});

export function optionsFromEnvironment(env: NodeJS.ProcessEnv): MockIdpOptions {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`mock-idp: invalid configuration\n${problems.join('\n')}`);
  }
  const settings = parsed.data;
  return {
    port: settings.MOCK_IDP_PORT,
    host: settings.MOCK_IDP_HOST,
    issuer: settings.MOCK_IDP_ISSUER,
    issuerUri: settings.MOCK_IDP_ISSUER_URI,
    refreshTokenLifetimeSeconds: settings.MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS,
    dataDir: settings.MOCK_IDP_DATA_DIR,
    seedFile: settings.MOCK_IDP_SEED_FILE,
    testControls: settings.MOCK_IDP_TEST_CONTROLS,
    clientChangeDelaySeconds: settings.MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS,
  };
}
