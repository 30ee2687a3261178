import { renderNatsAuthorization } from '../nats-config.js';

/** Prints the nats-server authorization block of docker-compose (deploy/nats/nats-server.conf), derived from the system map. */
process.stdout.write(renderNatsAuthorization());
