/**
 * Starts a mock identity server: loads (or seeds) its state and keys from the data folder, listens, and
 * returns a handle to stop it. The authority follows the address it listens on unless one is given; the issuer is
 * the authority unless `issuerUri` sets another name.
 */
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { createIdpApp } from './app.ts';
import { AdjustableClock, type Clock, systemClock } from './clock.ts';
import type { IdpContext } from './context.ts';
import { createTestControls, type MockIdpControls } from './controls/test-controls.ts';
import { ClientAdministration } from './domain/client-administration.ts';
import { type EditionName, editions, type PortalEdition } from './domain/editions.ts';
import { PasswordGuessing } from './domain/password-guessing.ts';
import { RequestsInProgress } from './http/requests-in-progress.ts';
import { loadOrCreateSealingKey } from './keys/sealing-key.ts';
import { SigningKeys, type SigningThreadChoice } from './keys/signing-keys.ts';
import { RequestLog } from './observation/request-log.ts';
import { removeLeftTemporaries } from './plumbing/atomic-files.ts';
import { defaultRefreshTokenLifetimeSeconds } from './protocol/grants/refresh-families.ts';
import { SignInTickets } from './protocol/sign-in-tickets.ts';
import { TokenMinter } from './protocol/token-minting.ts';
import { ScenarioBook } from './scenarios/scenario-book.ts';
import { type DataFolderLock, lockDataFolder } from './store/data-folder-lock.ts';
import { IdpStore } from './store/idp-store.ts';
import { readSeedFile, stateFromSeed } from './store/seed.ts';
import { loadState, StateJournal } from './store/state-journal.ts';

export const defaultSeedFile = fileURLToPath(new URL('../seed.json', import.meta.url));
/**
 * mock-idp/.data in the kit's repository; once installed as a package, .mock-idp-data in the folder it is started
 * from (never inside node_modules, which an install may replace).
 */
export const defaultDataDir = fileURLToPath(import.meta.url).includes(`${sep}node_modules${sep}`)
  ? resolve('.mock-idp-data')
  : fileURLToPath(new URL('../.data', import.meta.url));

export interface MockIdpOptions {
  /** 0 picks a free port. Default 4000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where it is reached (its endpoints' base URL). Default http://{host}:{port}/identity. */
  issuer?: string;
  /**
   * The issuer name announced in discovery and signed into tokens, when it is not the authority URL (as
   * IdentityServer's IssuerUri). Default: the authority.
   */
  issuerUri?: string;
  /** The absolute lifetime of a refresh-token family. Default 30 days (IdentityServer's default). */
  refreshTokenLifetimeSeconds?: number;
  /** Where state.json and signing-keys.json live. Default mock-idp/.data. */
  dataDir?: string;
  seedFile?: string;
  /** Exposes /__mock__ (clock control). Off unless asked for. */
  testControls?: boolean;
  /** The base clock; with testControls it can be moved forward. */
  clock?: Clock;
  /** How long client changes take to reach sign-in and token issuance (Data Hub: up to an hour). Default 0. */
  clientChangeDelaySeconds?: number;
  /** Which edition of "Get started with hybrid clients" the portal presents. Default data-hub. */
  edition?: EditionName;
  /**
   * Sends `iss` with every authorization response and announces it in discovery (RFC 9207). Default off, as
   * IdentityServer4 4.x: an application must not require it.
   */
  authorizationResponseIss?: boolean;
  /**
   * Whether hybrid clients get refresh tokens (with Allow Refresh Token and offline_access). Default true, as the
   * "Get started" page and AVEVA's sample say; false as the HybridClients reference says ("not supported").
   */
  hybridRefreshTokens?: boolean;
  /**
   * Whether clients ask the user's consent on their first sign-in (and on every one with offline_access), as
   * IdentityServer's Client.RequireConsent. Default off, its default; AVEVA's reference says only that ClientUri and
   * LogoUri are "used on consent screen". prompt=consent shows the consent page either way.
   */
  requireConsent?: boolean;
  /**
   * Flushes every change to the disk (fdatasync) before the response that made it, so it survives a power loss.
   * Default off: a change is handed to the kernel (write) before its response either way, which a crash of the
   * mock (SIGKILL included) cannot undo; a test identity server rarely needs more, and the flush costs a disk round
   * trip per change.
   */
  syncToDisk?: boolean;
}

export interface RunningMockIdp {
  /** The issuer it announces (`iss`); the same as `authority` unless `issuerUri` was given. */
  issuer: string;
  /** Where its endpoints are: http://{host}:{port}/identity, or the `issuer` option. */
  authority: string;
  /** The origin the server listens on, e.g. http://127.0.0.1:4000 */
  origin: string;
  context: IdpContext;
  /** The edition of "Get started with hybrid clients" its portal presents. */
  edition: PortalEdition;
  /** Move it forward from in-process tests; over HTTP only when testControls is on. */
  clock: AdjustableClock;
  /** What a test steers and reads, in process; over HTTP under /__mock__ only when testControls is on. */
  controls: MockIdpControls;
  /** The same as controls.scenarios, controls.users, controls.requests. */
  scenarios: MockIdpControls['scenarios'];
  users: MockIdpControls['users'];
  requests: MockIdpControls['requests'];
  server: Server;
  /** Resolves once every change so far is on disk. */
  flush(): Promise<void>;
  /** Writes pending state and stops listening. */
  close(): Promise<void>;
  /**
   * Stops as a crash would, for tests of what survives one: connections dropped, no final snapshot, the data
   * folder left as it is (what was flushed is in the journal), its files released.
   */
  crash(): Promise<void>;
}

export const stateFilePath = (dataDir: string) => join(dataDir, 'state.json');
export const keyFilePath = (dataDir: string) => join(dataDir, 'signing-keys.json');
export const sealingKeyPath = (dataDir: string) => join(dataDir, 'sign-in-key');

/** The identity server without the network: its state, keys and Express app, for a given authority. */
export interface MockIdp {
  issuer: string;
  authority: string;
  context: IdpContext;
  /** The edition of "Get started with hybrid clients" its portal presents (wording, navigation, procedure). */
  edition: PortalEdition;
  clock: AdjustableClock;
  /** What a test steers and reads: scenarios, users, client lifecycle, the request log (always, in process). */
  controls: MockIdpControls;
  /** The same as controls.scenarios, controls.users, controls.requests. */
  scenarios: MockIdpControls['scenarios'];
  users: MockIdpControls['users'];
  requests: MockIdpControls['requests'];
  app: Express;
  /** Resolves once every change so far is saved (at once when the state lives in memory only). */
  flush(): Promise<void>;
  /** Saves everything and releases the data folder's files. */
  close(): Promise<void>;
  /** Releases the data folder's files without saving anything more. */
  abandon(): Promise<void>;
}

export type MockIdpSetup = Omit<MockIdpOptions, 'port' | 'host' | 'issuer' | 'dataDir'> & {
  /** Where state and keys are kept; null keeps them in memory only (gone when the process ends). */
  dataDir?: string | null;
  /** Where each signature is made; a server that counts its requests in progress knows best (startMockIdp). */
  signingThread?: SigningThreadChoice;
};

export async function createMockIdp(authority: string, options: MockIdpSetup = {}): Promise<MockIdp> {
  const dataDir = options.dataDir === undefined ? defaultDataDir : options.dataDir;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // Before anything is read: another mock's state must never be read, or written over.
  const lock = dataDir ? await lockDataFolder(dataDir) : null;
  try {
    // The folder is this mock's now: what a crash mid-write left behind can go.
    if (dataDir) await removeLeftTemporaries(dataDir);
    return await createMockIdpIn(authority, dataDir, lock, options);
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function createMockIdpIn(
  authority: string,
  dataDir: string | null,
  lock: DataFolderLock | null,
  options: MockIdpSetup,
): Promise<MockIdp> {
  const issuer = (options.issuerUri ?? authority).replace(/\/$/, '');
  const clock = new AdjustableClock(options.clock ?? systemClock);
  const keys = dataDir
    ? await SigningKeys.loadOrCreate(keyFilePath(dataDir), options.signingThread)
    : await SigningKeys.generate(options.signingThread);
  const saved = dataDir ? await loadState(stateFilePath(dataDir)) : null;
  const snapshot =
    saved?.snapshot ?? stateFromSeed(await readSeedFile(options.seedFile ?? defaultSeedFile), clock.now());

  const store = new IdpStore(snapshot);
  for (const change of saved?.changes ?? []) store.restore(change);
  const journal = dataDir
    ? await StateJournal.open(stateFilePath(dataDir), store, {
        loadedGeneration: saved?.snapshot.journalGeneration ?? 0,
        beforeSnapshot: () => store.purgeExpired(clock.now()),
        syncToDisk: options.syncToDisk ?? false,
      })
    : null;

  const context: IdpContext = {
    issuer,
    authority,
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? defaultRefreshTokenLifetimeSeconds,
    authorizationResponseIss: options.authorizationResponseIss ?? false,
    hybridRefreshTokens: options.hybridRefreshTokens ?? true,
    requireConsent: options.requireConsent ?? false,
    clock,
    store,
    keys,
    minter: new TokenMinter(issuer, keys, clock),
    passwordGuessing: new PasswordGuessing(clock),
    signInTickets: new SignInTickets(
      await loadOrCreateSealingKey(dataDir ? sealingKeyPath(dataDir) : null),
      clock,
    ),
    administration: new ClientAdministration(store, clock, (options.clientChangeDelaySeconds ?? 0) * 1000),
    scenarios: new ScenarioBook(
      clock,
      (clientId) => store.clients.get(clientId),
      (userId) => store.users.get(userId),
      () => keys.jwks.keys.length,
    ),
    requestLog: new RequestLog(),
  };
  const controls = createTestControls(context, clock);
  const edition = editions[options.edition ?? 'data-hub'];
  return {
    issuer,
    authority,
    context,
    edition,
    clock,
    controls,
    scenarios: controls.scenarios,
    users: controls.users,
    requests: controls.requests,
    app: createIdpApp(context, {
      edition,
      testControls: options.testControls ? controls : undefined,
      persistence: journal ?? undefined,
    }),
    flush: async () => journal?.flush(),
    close: async () => {
      await journal?.close();
      await lock?.release();
    },
    abandon: async () => {
      await journal?.abandon();
      lock?.abandon();
    },
  };
}

/** What a request gets while the state and keys load: a retry later, never a connection left hanging. */
const answerStarting: RequestListener = (_request, response) => {
  response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' });
  response.end('The mock identity server is starting; try again in a second.\n');
};

export async function startMockIdp(options: MockIdpOptions = {}): Promise<RunningMockIdp> {
  // The port is taken before the state loads (the issuer names it), so requests can arrive before the app is
  // ready: a wait loop polling the port, say.
  let answer: RequestListener = answerStarting;
  const inProgress = new RequestsInProgress();
  const server = createServer(inProgress.counting((request, response) => answer(request, response)));
  // Slow or stalled clients must not hold connections for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // Node's default accept queue (511) overflows when a thousand browsers connect at once, and the ones left
  // out are reset; the kernel caps this at its own somaxconn.
  server.listen({ port: options.port ?? 4000, host: options.host ?? '127.0.0.1', backlog: 4096 });
  await once(server, 'listening');
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address === '0.0.0.0' ? '127.0.0.1' : address;
  const origin = `http://${host}:${port}`;
  const authority = (options.issuer ?? `${origin}/identity`).replace(/\/$/, '');

  const idp = await createMockIdp(authority, { ...options, signingThread: inProgress.signingThread }).catch(
    (error: unknown) => {
      server.close();
      throw error;
    },
  );
  answer = idp.app;
  const stopListening = async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };

  return {
    issuer: idp.issuer,
    authority,
    origin,
    context: idp.context,
    edition: idp.edition,
    clock: idp.clock,
    controls: idp.controls,
    scenarios: idp.scenarios,
    users: idp.users,
    requests: idp.requests,
    server,
    flush: () => idp.flush(),
    async close() {
      await stopListening();
      await idp.close();
    },
    async crash() {
      await stopListening();
      await idp.abandon();
    },
  };
}
