import * as grpc from '@grpc/grpc-js';

/** The ceiling: a bare @grpc/grpc-js unary method answering every request with its own bytes; prints its port. */

const identity = (value: Buffer) => value;
const definition: grpc.ServiceDefinition = {
  Echo: { path: '/bench.v1.EchoService/Echo', requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
};
const server = new grpc.Server();
server.addService(definition, { Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => callback(null, call.request) });
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${port}\n`);
});
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
