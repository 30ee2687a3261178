import { describe, expect, it } from '@jest/globals';
import { telemetrySettings } from '../src/index.js';

describe('telemetry settings from the standard OTEL_* variables', () => {
  it('turns nothing on when nothing is configured', () => {
    expect(telemetrySettings({})).toEqual({ tracing: false, otlpMetrics: false, prometheusHost: '127.0.0.1' });
  });

  it('traces and exports metrics by OTLP once an endpoint is set', () => {
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({ tracing: true, otlpMetrics: true });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toMatchObject({ tracing: true, otlpMetrics: false });
  });

  it('follows OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER over the endpoint', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus' };
    expect(telemetrySettings(env)).toMatchObject({ tracing: false, otlpMetrics: false });
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ tracing: true });
  });

  it('serves /metrics on OTEL_EXPORTER_PROMETHEUS_PORT and refuses a port that is not one', () => {
    expect(telemetrySettings({ OTEL_EXPORTER_PROMETHEUS_PORT: '0', OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0' })).toEqual({ tracing: false, otlpMetrics: false, prometheusPort: 0, prometheusHost: '0.0.0.0' });
    expect(() => telemetrySettings({ OTEL_EXPORTER_PROMETHEUS_PORT: 'ninety' })).toThrow('OTEL_EXPORTER_PROMETHEUS_PORT must be a port number');
  });

  it('turns everything off with OTEL_SDK_DISABLED=true', () => {
    expect(telemetrySettings({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_PROMETHEUS_PORT: '9464' })).toEqual({
      tracing: false,
      otlpMetrics: false,
      prometheusHost: '127.0.0.1',
    });
  });
});
