import type { DescService } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';

/** The implementation with every method's failures passed through translate, for example to turn store outages into UNAVAILABLE. */
export function translatingErrors<S extends DescService>(impl: ServiceImpl<S>, translate: (error: unknown) => unknown): ServiceImpl<S> {
  const methods = impl as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] = async (...args) => {
      try {
        return await method.apply(impl, args);
      } catch (error) {
        throw translate(error);
      }
    };
  }
  return wrapped as unknown as ServiceImpl<S>;
}
