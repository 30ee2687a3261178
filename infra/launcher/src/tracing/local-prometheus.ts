import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claimPort, supervise, type SupervisedProcess } from '@shop/local-stack';
import { LOOPBACK, type SystemPorts } from '../ports.js';
import { SERVICE_NAMES } from '../service-env.js';
import { metricsPort } from './telemetry-env.js';

const binaries = ['/usr/bin/prometheus', '/usr/sbin/prometheus'];

/** The scrape configuration of the local Prometheus: every service's /metrics, every 5 seconds. */
export function scrapeConfig(ports: SystemPorts): string {
  const jobs = SERVICE_NAMES.map((name) => [`  - job_name: ${name}`, '    static_configs:', `      - targets: ["${LOOPBACK}:${metricsPort(ports, name)}"]`].join('\n'));
  return ['# Written by npm start: every service of the local system.', 'global:', '  scrape_interval: 5s', 'scrape_configs:', ...jobs, ''].join('\n');
}

/**
 * Starts Debian's Prometheus (installed by `scripts/setup.sh --with prometheus`) on loopback, scraping every service,
 * with its data under <dataDir>/prometheus; undefined when it is not installed.
 */
export async function startLocalPrometheus(ports: SystemPorts, dataDir: string): Promise<{ url: string; process: SupervisedProcess } | undefined> {
  const binary = binaries.find((path) => existsSync(path));
  if (!binary) return undefined;
  const folder = join(dataDir, 'prometheus');
  await mkdir(join(folder, 'data'), { recursive: true });
  await writeFile(join(folder, 'prometheus.yml'), scrapeConfig(ports));
  await claimPort(ports.prometheus, 'prometheus');
  const process = supervise({
    name: 'prometheus',
    command: binary,
    args: [`--config.file=${join(folder, 'prometheus.yml')}`, `--storage.tsdb.path=${join(folder, 'data')}`, `--web.listen-address=${LOOPBACK}:${ports.prometheus}`],
    stopSignal: 'TERM',
    logFile: join(dataDir, 'logs', 'prometheus.log'),
  });
  return { url: `http://${LOOPBACK}:${ports.prometheus}`, process };
}
