import * as vscode from 'vscode';
import type { Redactor } from '../core/redact';

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
