import { invalidArgument, type DomainError } from '../errors.js';

/** What a server's deserializer hands on, in place of a message, for bytes that do not decode as the request type. */
export class UndecodableRequest {
  constructor(
    readonly typeName: string,
    readonly reason: string,
  ) {}

  /** The INVALID_ARGUMENT answer: the request type and why it did not decode. */
  toError(): DomainError {
    return invalidArgument('request', `cannot be decoded as ${this.typeName}: ${this.reason}`);
  }
}
