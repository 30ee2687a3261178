import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createClient } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
const sys = JSON.parse(readFileSync('/tmp/perf-checkout-system.json', 'utf8'));
const orders = createClient(OrderService, grpcTransport(sys.orders));
const products = createClient(ProductService, grpcTransport(sys.products));
const users = createClient(UserService, grpcTransport(sys.users));
const { products: page } = await products.listProducts({ pageSize: 20 });
const inStock = page.filter((p) => p.stock > 0);
const { user } = await users.createUser({ email: `one-${Date.now()}@bench.shop.example`, displayName: 'One', address: { line1: 'a', line2: 'b', line3: 'c' } });
const n = Number(process.argv[2] ?? 1);
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  const times = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const s = performance.now();
    const { order } = await orders.createOrder({ idempotencyKey: randomUUID(), customerId: user!.id, items: [{ productId: inStock[i % inStock.length]!.id, quantity: 1 }], shippingAddress: { line1: 'a', line2: 'b', line3: 'c' } }, { timeoutMs: 10000 });
    return `${order!.status}:${(performance.now() - s).toFixed(0)}`;
  }));
  console.log(`round ${round}: ${(performance.now() - t).toFixed(0)} ms`, times.slice(0, 8).join(' '));
}
