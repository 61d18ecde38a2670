/**
 * The scenarios set for the moment: each for one client (and, when a userId is given, only that user's sign-ins at
 * it), for its next `times` matching responses or until cleared, applied in the order they were set. They live in
 * memory only: a restart or --reset forgets them, and nothing of them reaches the state journal. One client's
 * scenarios never touch another client's responses, nor one user's another's: tests running side by side against one
 * app and one client each sign in as their own user. Discovery and JWKS requests name no client, so a scenario there
 * reaches whoever asks next (catalogue: reachesEveryClient), and cannot be set for one user.
 */
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { clientSecretMatches } from '../domain/client-secrets.ts';
import type { Client, User } from '../domain/model.ts';
import { ControlError } from '../plumbing/control-error.ts';
import {
  type ResponsePoint,
  reachesEveryClient,
  type ScenarioDefinition,
  type ScenarioName,
  scenarioDefinition,
  scenarioNames,
} from './catalogue.ts';
import { newScenarioKey, type ScenarioKey } from './forged-tokens.ts';

export const maxScenarios = 1000;
export const maxTimes = 10_000;
export const maxDelaySeconds = 120;
/** Keys scenarios published: a token signed by one must verify for its lifetime, so the last few stay published. */
const keptPublishedKeys = 5;

export const scenarioRequestSchema = z.strictObject({
  clientId: z.string().min(1).max(200),
  /** Only the responses of this user's sign-ins (the user's id, the id_token's sub). Default: every user's. */
  userId: z.string().min(1).max(200).optional(),
  name: z.string().min(1).max(100),
  /** How many matching responses it changes; 'until-cleared' for all of them. Default 1. */
  times: z.union([z.number().int().min(1).max(maxTimes), z.literal('until-cleared')]).default(1),
  /** slow: how long the response waits, in seconds. */
  seconds: z.number().min(0).max(maxDelaySeconds).optional(),
  /** sig-hs256: the client's secret, the HMAC key (the mock keeps only its hash). */
  clientSecret: z.string().min(1).max(1000).optional(),
});
export type ScenarioRequest = z.input<typeof scenarioRequestSchema>;

/** A scenario as listed. */
export interface Scenario {
  id: string;
  clientId: string;
  /** Set: only this user's responses. */
  userId?: string;
  name: ScenarioName;
  times: number | 'until-cleared';
  /** Responses it will still change (null: until cleared). */
  remaining: number | null;
  /** Responses it has changed so far. */
  applied: number;
  setAt: string;
  seconds?: number;
  /** True for discovery and JWKS scenarios: those requests name no client. */
  reachesEveryClient: boolean;
}

/** Whose response it is: the client, and the user when the response belongs to one's sign-in. */
export interface ResponseAudience {
  clientId: string;
  userId: string | null;
}

/** A scenario with what it needs to act: never listed (the secret and the key stay inside). */
export interface ActiveScenario {
  scenario: Scenario;
  definition: ScenarioDefinition;
  key?: ScenarioKey | undefined;
  clientSecret?: string | undefined;
}

export class ScenarioBook {
  readonly #active: ActiveScenario[] = [];
  #publishedKeys: ScenarioKey[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly findClient: (clientId: string) => Client | undefined,
    private readonly findUser: (userId: string) => User | undefined,
    /** How many keys the identity server itself publishes now. */
    private readonly serverKeyCount: () => number,
  ) {}

  async set(input: unknown): Promise<Scenario> {
    const parsed = scenarioRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ControlError(
        400,
        issue?.path[0] === 'times'
          ? `times must be a whole number from 1 to ${maxTimes}, or "until-cleared"`
          : `${issue?.path.join('.') || 'the body'}: ${issue?.message}`,
      );
    }
    const request = parsed.data;
    const definition = scenarioDefinition(request.name);
    if (!definition) {
      throw new ControlError(
        400,
        `unknown scenario ${JSON.stringify(request.name)}: one of ${scenarioNames.join(', ')}`,
      );
    }
    const client = this.findClient(request.clientId);
    if (!client || client.deletedAt) throw new ControlError(404, `no client ${request.clientId}`);
    if (request.userId !== undefined) {
      if (reachesEveryClient(definition)) {
        throw new ControlError(
          400,
          `${definition.name} acts on discovery or JWKS, which name no client and no user: set it without userId`,
        );
      }
      if (!this.findUser(request.userId)) throw new ControlError(404, `no user ${request.userId}`);
    }
    if (this.#active.length >= maxScenarios) {
      throw new ControlError(409, `at most ${maxScenarios} scenarios at once: clear some first`);
    }
    const active: ActiveScenario = {
      definition,
      scenario: {
        id: randomUUID(),
        clientId: client.id,
        ...(request.userId !== undefined && { userId: request.userId }),
        name: definition.name as ScenarioName,
        times: request.times,
        remaining: request.times === 'until-cleared' ? null : request.times,
        applied: 0,
        setAt: new Date(this.clock.now()).toISOString(),
        reachesEveryClient: reachesEveryClient(definition),
        ...(definition.effect.kind === 'delay' && { seconds: request.seconds ?? 5 }),
      },
    };
    await this.#prepare(active, client, request.clientSecret);
    this.#active.push(active);
    return { ...active.scenario };
  }

  /** What a forgery needs that the response cannot give: a key, the secret, a JWKS of the right size. */
  async #prepare(active: ActiveScenario, client: Client, clientSecret: string | undefined): Promise<void> {
    const { effect, name } = active.definition;
    const signing = effect.kind === 'forge-id-token' ? effect.signing : undefined;
    if (signing === 'hs256-client-secret') {
      if (!clientSecret || !clientSecretMatches(client, clientSecret, this.clock.now())) {
        throw new ControlError(
          400,
          `${name} signs with the client's secret, which the mock keeps only as a hash: give it as clientSecret (a current secret of this client)`,
        );
      }
      active.clientSecret = clientSecret;
    }
    if (name === 'kid-absent-single-jwks' && this.publishedKeyCount() !== 1) {
      throw new ControlError(
        409,
        `${name} needs a JWKS of one key, and this mock publishes ${this.publishedKeyCount()} (after a key rotation, or a scenario that published a key): use a fresh mock`,
      );
    }
    if (signing === 'unpublished-key') active.key = await newScenarioKey();
    if (signing === 'new-published-key' || name === 'kid-absent-multiple-jwks') {
      const key = await newScenarioKey();
      if (signing === 'new-published-key') active.key = key;
      this.#publishedKeys = [...this.#publishedKeys, key].slice(-keptPublishedKeys);
    }
  }

  /** The keys scenarios published, for the JWKS beside the server's own. */
  publishedKeys(): JWK[] {
    return this.#publishedKeys.map((key) => key.publicJwk);
  }

  publishedKeyCount(): number {
    return this.serverKeyCount() + this.#publishedKeys.length;
  }

  list(clientId?: string): Scenario[] {
    return this.#active
      .filter((active) => clientId === undefined || sameId(active.scenario.clientId, clientId))
      .map((active) => ({ ...active.scenario }));
  }

  /** Clears one scenario; false when there is none of that id. */
  clear(id: string): boolean {
    const index = this.#active.findIndex((active) => active.scenario.id === id);
    if (index < 0) return false;
    this.#active.splice(index, 1);
    return true;
  }

  /** Clears every scenario, or every one of a client; how many were cleared. */
  clearAll(clientId?: string): number {
    const before = this.#active.length;
    for (let index = this.#active.length - 1; index >= 0; index -= 1) {
      const active = this.#active[index] as ActiveScenario;
      if (clientId === undefined || sameId(active.scenario.clientId, clientId)) this.#active.splice(index, 1);
    }
    return before - this.#active.length;
  }

  /**
   * The first scenario waiting for this response, without using it up: for a client's own responses, its own
   * scenarios (those set for one user only when the response is that user's); for a response that names no client
   * (null), the scenarios that reach every client.
   */
  next(point: ResponsePoint, audience: ResponseAudience | null): ActiveScenario | undefined {
    return this.#active.find(
      ({ definition, scenario }) =>
        (definition.points as readonly ResponsePoint[]).includes(point) &&
        (audience === null
          ? scenario.reachesEveryClient
          : sameId(scenario.clientId, audience.clientId) &&
            (scenario.userId === undefined || scenario.userId === audience.userId)),
    );
  }

  /**
   * Counts one response changed by the scenario; false when a concurrent response used it up first (this one
   * then goes out as usual).
   */
  use(active: ActiveScenario): boolean {
    const index = this.#active.indexOf(active);
    if (index < 0) return false;
    const { scenario } = active;
    scenario.applied += 1;
    if (scenario.remaining !== null) {
      scenario.remaining -= 1;
      if (scenario.remaining === 0) this.#active.splice(index, 1);
    }
    return true;
  }
}

/** Client ids are GUIDs: any case names the same client. */
const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
