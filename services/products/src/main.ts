import { runService } from '@shop/runtime';
import { loadConfig } from './config.js';
import { startProductsService } from './server.js';

runService(() => startProductsService(loadConfig()));
