import type { ServiceName } from '@shop/system-map';

/** The label every object of the system carries. */
export const partOf = { 'app.kubernetes.io/part-of': 'shop' } as const;

/** The labels that select a service's pods. */
export function servicePodLabels(name: ServiceName): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'service' };
}

/** The labels of an object belonging to a service. */
export function serviceLabels(name: ServiceName): Record<string, string> {
  return { ...servicePodLabels(name), ...partOf };
}

/** The labels of an object belonging to a service's store. */
export function storeLabels(owner: ServiceName, instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': instance, 'app.kubernetes.io/component': 'store', 'shop.example.com/store-of': owner, ...partOf };
}
