/** Runs the benchmark's peer (peer-provider.ts) on a free port of 127.0.0.1, prints its issuer, serves until killed. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { peerConfiguration } from './peer-provider.ts';

const server = createServer();
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
server.on('request', new Provider(issuer, peerConfiguration).callback());
console.log(`peer: issuer ${issuer}`);
