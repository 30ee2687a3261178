import { existsSync, writeFileSync } from 'node:fs';
import { startSystem } from './system.js';
const system = await startSystem();
writeFileSync('/tmp/perf-checkout-system.json', JSON.stringify({ pid: system.pid, products: system.address('products'), orders: system.address('orders'), users: system.address('users'), search: system.address('search') }));
while (existsSync('/tmp/perf-checkout-system.json')) await new Promise((r) => setTimeout(r, 500));
await system.stop();
