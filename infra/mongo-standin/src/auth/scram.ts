import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { saslPrepare } from './saslprep.js';

/** The only SASL mechanism the stand-in offers. */
export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
/** MongoDB's default `scramSHA256IterationCount`. */
export const DEFAULT_ITERATIONS = 15_000;
const SALT_BYTES = 28;
const SERVER_NONCE_BYTES = 24;
const KEY_BYTES = 32;

/** What the server keeps per user for SCRAM-SHA-256: never the password itself. */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** The parsed client-first message: `n,,n=<user>,r=<nonce>`. */
export interface ClientFirstMessage {
  gs2Header: string;
  username: string;
  clientNonce: string;
  bare: string;
}

/** Raised for any message that does not authenticate; answered as AuthenticationFailed. */
export class ScramFailure extends Error {}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Derives the stored SCRAM-SHA-256 keys from a password (SASLprep, then PBKDF2-HMAC-SHA-256). */
export function deriveScramCredential(password: string, iterations = DEFAULT_ITERATIONS, salt = randomBytes(SALT_BYTES)): ScramCredential {
  const saltedPassword = pbkdf2Sync(saslPrepare(password), salt, iterations, KEY_BYTES, 'sha256');
  return { salt, iterations, storedKey: sha256(hmac(saltedPassword, 'Client Key')), serverKey: hmac(saltedPassword, 'Server Key') };
}

/** Splits `a=1,b=2` into its attributes; values may themselves contain `=`. */
function attributesOf(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(',')) {
    const match = /^([a-zA-Z])=(.*)$/su.exec(part);
    if (!match) throw new ScramFailure(`malformed SCRAM attribute '${part}'`);
    attributes.set(match[1] as string, match[2] as string);
  }
  return attributes;
}

function required(attributes: Map<string, string>, name: string): string {
  const value = attributes.get(name);
  if (value === undefined || value.length === 0) throw new ScramFailure(`SCRAM message lacks '${name}='`);
  return value;
}

/** Parses the client-first message; only the `n,,` header (no channel binding, no authzid) is accepted. */
export function parseClientFirst(message: string): ClientFirstMessage {
  const header = /^([ny]),,/u.exec(message);
  if (!header) throw new ScramFailure('SCRAM client-first message must start with n,, or y,,');
  const bare = message.slice(header[0].length);
  const attributes = attributesOf(bare);
  const username = required(attributes, 'n').replaceAll('=2C', ',').replaceAll('=3D', '=');
  return { gs2Header: header[0], username, clientNonce: required(attributes, 'r'), bare };
}

/** One server side of a SCRAM-SHA-256 exchange, from the server-first message to the server signature. */
export class ScramServerExchange {
  /** The server-first message `r=<nonce>,s=<salt>,i=<iterations>`. */
  readonly serverFirst: string;
  private readonly nonce: string;

  constructor(
    private readonly clientFirst: ClientFirstMessage,
    private readonly credential: ScramCredential,
  ) {
    this.nonce = clientFirst.clientNonce + randomBytes(SERVER_NONCE_BYTES).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
  }

  /** Verifies the client-final message's proof and returns the server-final message `v=<signature>`. */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramFailure('SCRAM client-final message lacks a proof');
    const withoutProof = clientFinal.slice(0, proofAt);
    const attributes = attributesOf(withoutProof);
    if (attributes.get('c') !== Buffer.from(this.clientFirst.gs2Header).toString('base64')) throw new ScramFailure('SCRAM channel binding is not supported');
    if (attributes.get('r') !== this.nonce) throw new ScramFailure('SCRAM nonce mismatch');
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const authMessage = `${this.clientFirst.bare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.credential.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new ScramFailure('SCRAM proof has the wrong length');
    const clientKey = Buffer.from(proof.map((byte, index) => byte ^ (clientSignature[index] as number)));
    if (!timingSafeEqual(sha256(clientKey), this.credential.storedKey)) throw new ScramFailure('SCRAM proof does not match');
    return `v=${hmac(this.credential.serverKey, authMessage).toString('base64')}`;
  }
}
