import { Code, ConnectError } from '@connectrpc/connect';
import type { Compression } from '@connectrpc/connect/protocol';
import { compressionBrotli, compressionGzip } from '@connectrpc/connect-node';

/**
 * A request body that does not decompress is the caller's mistake: INVALID_ARGUMENT, whatever zlib said (a truncated
 * gzip stream otherwise answers INTERNAL). A body too large once decompressed stays RESOURCE_EXHAUSTED.
 */
function refusingCorruptBodies(compression: Compression): Compression {
  return {
    name: compression.name,
    compress: (bytes) => compression.compress(bytes),
    decompress: async (bytes, readMaxBytes) => {
      try {
        return await compression.decompress(bytes, readMaxBytes);
      } catch (error) {
        if (isTooLarge(error)) throw new ConnectError(`request body is larger than ${readMaxBytes} bytes once decompressed`, Code.ResourceExhausted);
        throw new ConnectError(`request body is not valid ${compression.name}`, Code.InvalidArgument);
      }
    },
  };
}

/** zlib's maxOutputLength refusal, whether or not Connect recognised it (on Node 24 it arrives as a RangeError it calls INTERNAL). */
function isTooLarge(error: unknown): boolean {
  const { code, cause } = error as { code?: unknown; cause?: { code?: unknown } };
  return code === Code.ResourceExhausted || cause?.code === 'ERR_BUFFER_TOO_LARGE' || cause instanceof RangeError;
}

/** The request encodings the Connect server accepts: gzip and br. */
export const acceptedRequestCompression: Compression[] = [compressionGzip, compressionBrotli].map(refusingCorruptBodies);
