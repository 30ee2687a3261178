import { runService } from '@shop/runtime';
import { loadConfig } from './config.js';
import { startCartService } from './server.js';

runService(async () => startCartService(loadConfig()));
