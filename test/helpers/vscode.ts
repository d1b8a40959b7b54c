// A hand-written fake of the few `vscode` APIs the host adapters use. Registered as the `vscode`
// module by register-vscode.cjs for unit tests. State is inspectable through `fake`.

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (l: Listener<T>) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...ds: Array<{ dispose(): unknown }>) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  value = '';
  isTrusted = false;
  constructor(value?: string, readonly supportThemeIcons?: boolean) {
    this.value = value ?? '';
  }
  appendMarkdown(s: string) {
    this.value += s;
    return this;
  }
  appendText(s: string) {
    this.value += s;
    return this;
  }
  appendCodeblock(code: string, lang = '') {
    this.value += `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
    return this;
  }
}
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string; role?: string };
  constructor(public label: string, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(p: string) {
    return new Uri(p);
  }
  toString() {
    return `file://${this.fsPath}`;
  }
}
export class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}
export class Position {
  constructor(readonly line: number, readonly character: number) {}
}
export class Range {
  constructor(readonly start: Position, readonly end: Position) {}
}
export class Selection extends Range {}

export class FakeStatusBarItem {
  text = '';
  tooltip: unknown;
  name = '';
  command: unknown;
  backgroundColor: ThemeColor | undefined;
  accessibilityInformation: unknown;
  visible = false;
  disposed = false;
  constructor(readonly id: string) {}
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  dispose() {
    this.disposed = true;
  }
}

export class FakeEnvCollection {
  persistent = true;
  description: unknown;
  readonly values = new Map<string, string>();
  replace(k: string, v: string) {
    this.values.set(k, v);
  }
  append() {
    throw new Error('not used');
  }
  prepend() {
    throw new Error('not used');
  }
  delete(k: string) {
    this.values.delete(k);
  }
  clear() {
    this.values.clear();
  }
  get(k: string) {
    return this.values.get(k);
  }
}

/** A terminal window.createTerminal made (or a terminal profile's, via fake.openTerminal). */
export class FakeTerminal {
  shown = false;
  disposed = false;
  constructor(readonly creationOptions: Record<string, any>) {}
  get name(): string {
    return this.creationOptions.name;
  }
  show() {
    this.shown = true;
  }
  /** Closing: fires onDidCloseTerminal, as VS Code does. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    fake.closeTerminal.fire(this);
  }
}

export class TerminalProfile {
  constructor(readonly options: Record<string, any>) {}
}

/** Everything a test may want to inspect or drive. */
export const fake = {
  config: new Map<string, unknown>(),
  workspaceConfig: new Map<string, unknown>(),
  statusItems: [] as FakeStatusBarItem[],
  commands: new Map<string, (...a: unknown[]) => unknown>(),
  executed: [] as Array<{ id: string; args: unknown[] }>,
  messages: [] as Array<{ level: string; text: string; items: string[] }>,
  nextMessageChoice: undefined as string | undefined,
  inputs: [] as Array<string | undefined>,
  /** Messages validateInput gave for values the fake tried to submit. */
  validations: [] as string[],
  quickPicks: [] as Array<(items: any[]) => any>,
  clipboard: '',
  logLines: [] as string[],
  trusted: true,
  configListeners: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
  /** Whether tree views report themselves visible; fire viewVisibility after changing it. */
  viewVisible: true,
  viewVisibility: new EventEmitter<{ visible: boolean }>(),
  terminals: [] as FakeTerminal[],
  openTerminal: new EventEmitter<FakeTerminal>(),
  closeTerminal: new EventEmitter<FakeTerminal>(),
  terminalProfiles: new Map<string, { provideTerminalProfile(token: unknown): unknown }>(),
  debugProviders: [] as Array<{ type: string; provider: any }>,
  workspaceFolders: undefined as Array<{ uri: Uri; name: string; index: number }> | undefined,
  workspaceFoldersChanged: new EventEmitter<unknown>(),
  trustGranted: new EventEmitter<void>(),
  /** What VS Code does with a terminal profile's options: opens a terminal with them. */
  openProfileTerminal(options: Record<string, any>): FakeTerminal {
    const t = new FakeTerminal(options);
    this.terminals.push(t);
    this.openTerminal.fire(t);
    return t;
  },
  reset() {
    this.terminals.length = 0;
    this.terminalProfiles.clear();
    this.debugProviders.length = 0;
    this.workspaceFolders = undefined;
    this.viewVisible = true;
    this.config.clear();
    this.workspaceConfig.clear();
    this.statusItems.length = 0;
    this.commands.clear();
    this.executed.length = 0;
    this.messages.length = 0;
    this.nextMessageChoice = undefined;
    this.inputs.length = 0;
    this.validations.length = 0;
    this.quickPicks.length = 0;
    this.clipboard = '';
    this.logLines.length = 0;
    this.trusted = true;
  },
  setConfig(key: string, value: unknown) {
    this.config.set(key, value);
    this.configListeners.fire({ affectsConfiguration: (s: string) => `roleSwitcher.${key}`.startsWith(s) || s.startsWith('roleSwitcher') });
  },
};

function message(level: string) {
  return async (text: string, ...rest: unknown[]) => {
    const items = rest.filter((x): x is string => typeof x === 'string');
    fake.messages.push({ level, text, items });
    const c = fake.nextMessageChoice;
    fake.nextMessageChoice = undefined;
    return c;
  };
}

export const window = {
  createStatusBarItem(id: string) {
    const item = new FakeStatusBarItem(id);
    fake.statusItems.push(item);
    return item;
  },
  createOutputChannel(_name: string, _opts?: unknown) {
    const log = (level: string) => (m: string) => fake.logLines.push(`${level} ${m}`);
    return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), show() {}, dispose() {} };
  },
  createTreeView(_id: string, _o: unknown) {
    return {
      message: undefined as string | undefined,
      get visible() {
        return fake.viewVisible;
      },
      onDidChangeVisibility: (l: Listener<{ visible: boolean }>) => fake.viewVisibility.event(l),
      dispose() {},
    };
  },
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  async showInputBox(opts: { validateInput?: (v: string) => unknown }) {
    const v = fake.inputs.shift();
    const problem = v !== undefined && opts.validateInput ? await opts.validateInput(v) : undefined;
    if (problem) {
      fake.validations.push(String(problem));
      return undefined;
    }
    return v;
  },
  async showQuickPick(items: any[]) {
    const pick = fake.quickPicks.shift();
    return pick ? pick(await items) : undefined;
  },
  async withProgress<T>(_o: unknown, task: (p: unknown, token: { onCancellationRequested: (l: () => void) => { dispose(): void } }) => Promise<T>) {
    return task({ report() {} }, { onCancellationRequested: () => ({ dispose() {} }) });
  },
  createTerminal(options: Record<string, any>) {
    return fake.openProfileTerminal(options);
  },
  onDidOpenTerminal: (l: Listener<FakeTerminal>) => fake.openTerminal.event(l),
  onDidCloseTerminal: (l: Listener<FakeTerminal>) => fake.closeTerminal.event(l),
  registerTerminalProfileProvider(id: string, provider: { provideTerminalProfile(token: unknown): unknown }) {
    fake.terminalProfiles.set(id, provider);
    return { dispose: () => fake.terminalProfiles.delete(id) };
  },
  setStatusBarMessage(text: string) {
    fake.messages.push({ level: 'status', text, items: [] });
    return { dispose() {} };
  },
};

export const workspace = {
  get isTrusted() {
    return fake.trusted;
  },
  getConfiguration(section: string) {
    const full = (k: string) => `${k}`;
    return {
      get<T>(key: string, dflt?: T): T {
        const k = full(key);
        if (fake.workspaceConfig.has(k)) return fake.workspaceConfig.get(k) as T;
        return (fake.config.has(k) ? fake.config.get(k) : dflt) as T;
      },
      inspect<T>(key: string) {
        const k = full(key);
        return { key: `${section}.${k}`, globalValue: fake.config.get(k) as T | undefined, workspaceValue: fake.workspaceConfig.get(k) as T | undefined, defaultValue: undefined };
      },
      async update(key: string, value: unknown) {
        fake.setConfig(full(key), value);
      },
    };
  },
  onDidChangeConfiguration: (l: Listener<{ affectsConfiguration(s: string): boolean }>) => fake.configListeners.event(l),
  onDidGrantWorkspaceTrust: (l: Listener<void>) => fake.trustGranted.event(l),
  get workspaceFolders() {
    return fake.workspaceFolders;
  },
  onDidChangeWorkspaceFolders: (l: Listener<unknown>) => fake.workspaceFoldersChanged.event(l),
  createFileSystemWatcher() {
    const noop = () => ({ dispose() {} });
    return { onDidChange: noop, onDidCreate: noop, onDidDelete: noop, dispose() {} };
  },
  async openTextDocument(x: unknown) {
    return { uri: Uri.file(String((x as { fsPath?: string })?.fsPath ?? 'untitled')), content: x };
  },
};

export const commands = {
  registerCommand(id: string, fn: (...a: unknown[]) => unknown) {
    if (fake.commands.has(id)) throw new Error(`command ${id} already registered`);
    fake.commands.set(id, fn);
    return { dispose: () => fake.commands.delete(id) };
  },
  async executeCommand(id: string, ...args: unknown[]) {
    fake.executed.push({ id, args });
    const fn = fake.commands.get(id);
    return fn ? fn(...args) : undefined;
  },
};

export const debug = {
  registerDebugConfigurationProvider(type: string, provider: unknown) {
    const entry = { type, provider };
    fake.debugProviders.push(entry);
    return { dispose: () => fake.debugProviders.splice(fake.debugProviders.indexOf(entry), 1) };
  },
};

export const env = {
  clipboard: {
    async writeText(t: string) {
      fake.clipboard = t;
    },
  },
};

export const l10n = { t: (s: string) => s };
