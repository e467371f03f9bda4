/** Drains a service once on SIGTERM/SIGINT, then exits; a second signal exits at once. */
import type { Logger } from "pino";

export function onShutdown(logger: Logger, drain: () => Promise<void>, timeoutMs = 15_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long: exiting");
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    drain().then(
      () => {
        logger.info({}, "stopped");
        logger.flush?.();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

/** For a service's main: logs a fatal start-up error with one clear line and exits. */
export function exitOnStartupError(logger: Logger, e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  logger.fatal({ err: e }, `cannot start: ${msg}`);
  process.stderr.write(`cannot start: ${msg}\n`);
  process.exit(1);
}
