import * as vscode from 'vscode';
import type { Redactor } from '../core/redact';

/** vscode.LogLevel values: Off 0, Trace 1, Debug 2, Info 3, Warning 4, Error 5. */
const LEVELS = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 } as const;

/** The one log channel. Every line passes the redactor first. */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(private readonly redactor: Redactor) {
    this.channel = vscode.window.createOutputChannel('Role Switcher for AWS', { log: true });
  }

  scoped(component: string): ScopedLogger {
    return new ScopedLogger(this, component);
  }

  write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error', component: string, message: string): void {
    // The channel would drop a line below its level (Info by default): skip the redaction too.
    const min = this.channel.logLevel;
    if (typeof min === 'number' && (min === 0 || LEVELS[level] < min)) return;
    this.channel[level](this.redactor.redact(`[${component}] ${message}`));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export class ScopedLogger {
  constructor(private readonly logger: Logger, private readonly component: string) {}
  info(m: string): void {
    this.logger.write('info', this.component, m);
  }
  warn(m: string): void {
    this.logger.write('warn', this.component, m);
  }
  error(m: string, err?: unknown): void {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : err !== undefined ? String(err) : '';
    this.logger.write('error', this.component, detail ? `${m}: ${detail}` : m);
  }
  debug(m: string): void {
    this.logger.write('debug', this.component, m);
  }
}
