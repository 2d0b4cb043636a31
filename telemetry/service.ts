/** The gateway's name in telemetry: OpenTelemetry `service.name` and the metrics' `target_info`. */
export const SERVICE_NAME = 'builder-insights-gateway';
