import { ObjectId, type Document } from 'bson';
import { helloAuthenticationFields } from './authentication.js';
import type { CommandContext, CommandHandler } from './context.js';

/** The label every self-description of the stand-in carries. */
export const STANDIN_LABEL = 'mongo-standin: development/test stand-in speaking the MongoDB wire protocol, not MongoDB';

/** The MongoDB version whose wire protocol the stand-in answers as. */
export const REPORTED_VERSION = '7.0.0';
const WIRE_VERSION = 21;
const REPLICA_SET_NAME = 'rs0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

function hello(context: CommandContext): Document {
  const { address } = context.server;
  const reply: Document = {
    isWritablePrimary: true,
    hosts: [address],
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    electionId: ELECTION_ID,
    primary: address,
    me: address,
    secondary: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: WIRE_VERSION,
    readOnly: false,
    standin: STANDIN_LABEL,
    ...helloAuthenticationFields(context),
  };
  if (context.command.helloOk === true) reply.helloOk = true;
  return reply;
}

function legacyHello(context: CommandContext): Document {
  const { isWritablePrimary, ...reply } = hello(context);
  return { ismaster: isWritablePrimary as boolean, ...reply };
}

function buildInfo(): Document {
  return {
    version: REPORTED_VERSION,
    versionArray: [7, 0, 0, 0],
    gitVersion: 'mongo-standin',
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['mongo-standin-journal'],
    modules: [],
    standin: STANDIN_LABEL,
  };
}

function endSessions(context: CommandContext): Document {
  const lsids = context.command.endSessions as Document[] | undefined;
  context.transactions.endSessions(Array.isArray(lsids) ? lsids : []);
  return {};
}

/** Connection handshake and server-description commands. */
export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: legacyHello,
  ismaster: legacyHello,
  ping: () => ({}),
  buildInfo,
  buildinfo: buildInfo,
  endSessions,
};
