import { runService } from '@shop/runtime';
import { loadConfig } from './config.js';
import { startGateway } from './server.js';

runService(() => startGateway(loadConfig()));
