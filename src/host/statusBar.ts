import * as vscode from 'vscode';
import type { Clock } from '../core/clock';
import type { SessionStore } from '../core/session';
import { statusModel, type StatusModel } from '../core/statusModel';
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

  constructor(
    private readonly store: SessionStore,
    private readonly settings: Settings,
    private readonly clock: Clock,
    private readonly baseIdentity: () => string | undefined,
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
    return statusModel({
      session: this.store.current,
      depth: this.store.depth,
      baseIdentity: this.baseIdentity(),
      showBaseIdentity: this.settings.showBaseIdentity,
      warningMinutes: this.settings.expiryWarningMinutes,
      busy: this.busy,
      now: this.clock.now(),
    });
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
      if (w?.tooltip !== m.tooltip) item.tooltip = m.tooltip;
      if (w?.ariaLabel !== m.ariaLabel) item.accessibilityInformation = { label: m.ariaLabel, role: 'button' };
      if (w?.warning !== m.warning) item.backgroundColor = m.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
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
