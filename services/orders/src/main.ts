import { runService } from '@shop/runtime';
import { loadConfig } from './config.js';
import { startOrders } from './server.js';

runService(async () => startOrders(loadConfig()));
