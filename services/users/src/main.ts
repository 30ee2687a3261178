import { runService } from '@shop/runtime';
import { loadConfig } from './config.js';
import { startUsersService } from './server.js';

runService(async () => startUsersService(loadConfig()));
