import * as vscode from 'vscode';
import type { Clock } from '../core/clock';
import type { SessionStore } from '../core/session';
import { baseStatusModel, type StatusInput, type StatusModel } from '../core/statusModel';
import { loadFeatures } from './featuresLoader';
import type { AccountStyles } from './accountStyle';
import { Disposable } from './lifecycle';
import type { Settings } from './settings';

/** Renders the status model; the only place that touches the status bar item. */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private tick: ReturnType<typeof setInterval> | undefined;
  private busy: string | undefined;
  /** The model last written to the item, and whether the item is shown: unchanged values are not written again. */
  private written: StatusModel | undefined;
  private visible: boolean | undefined;
  private interval = 0;
  private writtenBackground: string | undefined;
  private writtenTooltip: string | undefined;
  private writtenAria: string | undefined;

  constructor(
    private readonly store: SessionStore,
    private readonly settings: Settings,
    private readonly clock: Clock,
    private readonly baseIdentity: () => string | undefined,
    /** roleSwitcher.accounts (background and tooltip lines of the session's account); absent in tests that need none. */
    private readonly accounts?: () => AccountStyles | undefined,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('roleSwitcher.status', vscode.StatusBarAlignment.Left, 100));
    this.item.name = 'Role Switcher for AWS';
    this.item.command = 'roleSwitcher.sessionMenu';
    this._register(store.onDidChange(() => this.render()));
    this._register(settings.onDidChange(() => this.render()));
    this._register({ dispose: () => this.tick && clearInterval(this.tick) });
    this.render();
  }

  setBusy(text: string | undefined): void {
    this.busy = text;
    this.render();
  }

  /** The model currently shown (for tests). */
  model(): StatusModel {
    const session = this.store.current;
    const input: StatusInput = {
      session,
      depth: this.store.depth,
      baseIdentity: this.baseIdentity(),
      showBaseIdentity: this.settings.showBaseIdentity,
      warningMinutes: this.settings.expiryWarningMinutes,
      busy: this.busy,
      now: this.clock.now(),
    };
    // A session's model (times, chain, partition lines) is in dist/features.js: a session was made by it.
    return session && !this.busy ? loadFeatures().statusModel(input) : baseStatusModel(input);
  }

  render(): void {
    const m = this.model();
    // Every property write is an update sent to the window: write only what changed.
    if (!m.visible) {
      if (this.visible !== false) this.item.hide();
    } else {
      const item = this.item;
      const w = this.written;
      if (w?.text !== m.text) item.text = m.text;
      const s = this.busy ? undefined : this.store.current;
      const accounts = s && this.accounts?.();
      const extra = accounts ? accounts.tooltipLines(s.role.accountId) : undefined;
      const tooltip = extra?.length ? `${extra.join('\n')}\n${m.tooltip}` : m.tooltip;
      if (this.writtenTooltip !== tooltip) item.tooltip = this.writtenTooltip = tooltip;
      // Screen readers hear the account's label and read-only hint too.
      const aria = extra?.length ? `${m.ariaLabel}. ${extra.join(' ')}` : m.ariaLabel;
      if (this.writtenAria !== aria) item.accessibilityInformation = { label: (this.writtenAria = aria), role: 'button' };
      // Red accounts: the error background; yellow/orange: the warning one (core/accounts.ts); else the expiry warning.
      const background = accounts ? accounts.statusBackground(s.role, m.warning) : m.warning ? 'statusBarItem.warningBackground' : undefined;
      if (this.writtenBackground !== background) item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
      this.writtenBackground = background;
      if (this.visible !== true) item.show();
      this.written = m;
    }
    this.visible = m.visible;
    // Minutes left change once a minute; tick faster near expiry so the warning appears on time.
    const remaining = this.store.remainingMs();
    const interval = remaining === undefined ? 0 : remaining < 120_000 ? 5_000 : 30_000;
    if (interval === this.interval) return;
    this.interval = interval;
    if (this.tick) clearInterval(this.tick);
    this.tick = interval ? setInterval(() => this.render(), interval) : undefined;
  }
}
