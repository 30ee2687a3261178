import pg from 'pg';
import { Server } from '@grpc/grpc-js';
console.log('pg wrapped', Boolean((pg.Client.prototype.query as any).__wrapped), 'grpc wrapped', Boolean((Server.prototype as any).register.__wrapped));
