/** Starts the mock identity server once for the test run (its own seed: the demo tenant and users). */
import { mockIdpSetup } from '@hybrid-client-kit/mock-idp/vitest';

export default mockIdpSetup();
