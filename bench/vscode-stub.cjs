// A minimal `vscode` module for loading dist/extension.js outside VS Code (benchmark only).
// Known members are implemented just enough; anything else is a tolerant no-op (a callable proxy
// that returns disposables), so new API use in the extension does not break the benchmark.
'use strict';
const Module = require('node:module');
const path = require('node:path');

/** A callable, property-tolerant no-op. Never thenable, so `await noop()` resolves to it at once. */
function noop(name) {
  const values = new Map();
  const target = function () {};
  const proxy = new Proxy(target, {
    get(_t, prop) {
      if (values.has(prop)) return values.get(prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => `[vscode stub ${name}]`;
      if (prop === Symbol.iterator || prop === Symbol.asyncIterator) return undefined;
      if (prop === 'dispose') return () => undefined;
      if (prop === 'toJSON') return () => `[vscode stub ${name}]`;
      if (typeof prop === 'symbol') return undefined;
      const child = noop(`${name}.${prop}`);
      values.set(prop, child);
      return child;
    },
    set(_t, prop, value) {
      values.set(prop, value);
      return true;
    },
    apply() {
      return noop(`${name}()`);
    },
    construct() {
      return noop(`new ${name}`);
    },
  });
  return proxy;
}

/** Wraps a real object: its own members win, unknown ones fall back to no-ops. */
function tolerant(name, obj) {
  const fallbacks = new Map();
  return new Proxy(obj, {
    get(t, prop, recv) {
      if (prop in t) return Reflect.get(t, prop, recv);
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      if (!fallbacks.has(prop)) fallbacks.set(prop, noop(`${name}.${String(prop)}`));
      return fallbacks.get(prop);
    },
  });
}

const disposable = () => ({ dispose() {} });

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (listener, thisArg, bag) => {
      const fn = thisArg ? listener.bind(thisArg) : listener;
      this._listeners.add(fn);
      const d = { dispose: () => this._listeners.delete(fn) };
      if (Array.isArray(bag)) bag.push(d);
      return d;
    };
  }
  fire(e) {
    for (const l of [...this._listeners]) l(e);
  }
  dispose() {
    this._listeners.clear();
  }
}

class Uri {
  constructor(scheme, p) {
    this.scheme = scheme;
    this.path = p;
    this.fsPath = p;
    this.authority = '';
    this.query = '';
    this.fragment = '';
  }
  static file(p) {
    return new Uri('file', p);
  }
  static parse(s) {
    const m = /^([a-z][\w+.-]*):(.*)$/i.exec(s);
    return m ? new Uri(m[1], m[2].replace(/^\/\//, '')) : new Uri('file', s);
  }
  static joinPath(base, ...parts) {
    return new Uri(base.scheme, path.posix.join(base.path, ...parts));
  }
  with(change) {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
  toJSON() {
    return this.toString();
  }
}

class TreeItem {
  constructor(labelOrUri, collapsibleState) {
    if (typeof labelOrUri === 'string' || (labelOrUri && typeof labelOrUri === 'object' && 'label' in labelOrUri)) this.label = labelOrUri;
    else this.resourceUri = labelOrUri;
    this.collapsibleState = collapsibleState;
  }
}

class ThemeIcon {
  constructor(id, color) {
    this.id = id;
    this.color = color;
  }
}
ThemeIcon.File = new ThemeIcon('file');
ThemeIcon.Folder = new ThemeIcon('folder');

class ThemeColor {
  constructor(id) {
    this.id = id;
  }
}

class MarkdownString {
  constructor(value = '', supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
    this.isTrusted = false;
  }
  appendText(t) {
    this.value += t;
    return this;
  }
  appendMarkdown(t) {
    this.value += t;
    return this;
  }
  appendCodeblock(code, lang = '') {
    this.value += `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
    return this;
  }
}

class CancellationTokenSource {
  constructor() {
    const em = new EventEmitter();
    this._em = em;
    this.token = { isCancellationRequested: false, onCancellationRequested: em.event };
  }
  cancel() {
    this.token.isCancellationRequested = true;
    this._em.fire();
  }
  dispose() {
    this._em.dispose();
  }
}

function logChannel(name, state) {
  const lines = state.log;
  const write = (level) => (msg, ...rest) => {
    lines.push(`[${name}] ${level} ${typeof msg === 'string' ? msg : String(msg)}${rest.length ? ' ' + rest.map(String).join(' ') : ''}`);
  };
  return tolerant(`OutputChannel(${name})`, {
    name,
    logLevel: 2,
    onDidChangeLogLevel: () => disposable(),
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    append: write('raw'),
    appendLine: write('raw'),
    replace() {},
    clear() {},
    show() {},
    hide() {},
    dispose() {},
  });
}

function memento() {
  const m = new Map();
  return {
    keys: () => [...m.keys()],
    get: (k, d) => (m.has(k) ? m.get(k) : d),
    update: async (k, v) => {
      if (v === undefined) m.delete(k);
      else m.set(k, v);
    },
    setKeysForSync() {},
  };
}

/**
 * Builds the stub.
 * @param {{ settings?: Record<string, unknown>, pick?: (items: any[]) => any, inputBox?: string }} options
 */
function createVscodeStub(options = {}) {
  const settings = options.settings ?? {};
  const state = {
    commands: new Map(),
    statusBarItems: [],
    messages: [],
    errors: [],
    log: [],
    envCollection: new Map(),
  };
  const configChange = new EventEmitter();

  const configuration = (section) => {
    const full = (key) => (section ? `${section}.${key}` : key);
    return tolerant('WorkspaceConfiguration', {
      get: (key, def) => (full(key) in settings ? settings[full(key)] : def),
      has: (key) => full(key) in settings,
      inspect: (key) => ({ key: full(key), defaultValue: undefined, globalValue: settings[full(key)] }),
      update: async (key, value) => {
        settings[full(key)] = value;
        configChange.fire({ affectsConfiguration: (s) => full(key).startsWith(s) });
      },
    });
  };

  const window = tolerant('window', {
    createStatusBarItem(...args) {
      const item = tolerant('StatusBarItem', {
        id: typeof args[0] === 'string' ? args[0] : undefined,
        text: '',
        tooltip: undefined,
        command: undefined,
        backgroundColor: undefined,
        color: undefined,
        name: undefined,
        visible: false,
        show() {
          this.visible = true;
        },
        hide() {
          this.visible = false;
        },
        dispose() {},
      });
      state.statusBarItems.push(item);
      return item;
    },
    createTreeView(_id, _opts) {
      return tolerant('TreeView', {
        visible: true,
        selection: [],
        message: undefined,
        title: undefined,
        description: undefined,
        badge: undefined,
        onDidChangeVisibility: () => disposable(),
        onDidChangeSelection: () => disposable(),
        onDidExpandElement: () => disposable(),
        onDidCollapseElement: () => disposable(),
        reveal: async () => undefined,
        dispose() {},
      });
    },
    registerTreeDataProvider: () => disposable(),
    createOutputChannel: (name, _opts) => logChannel(name, state),
    showQuickPick: async (items) => {
      const list = await items;
      return options.pick ? options.pick(list) : undefined;
    },
    showInputBox: async () => options.inputBox,
    showInformationMessage: async (msg) => {
      state.messages.push(String(msg));
      return undefined;
    },
    showWarningMessage: async (msg) => {
      state.messages.push(String(msg));
      return undefined;
    },
    showErrorMessage: async (msg) => {
      state.errors.push(String(msg));
      return undefined;
    },
    setStatusBarMessage: () => disposable(),
    withProgress: async (_opts, task) => {
      const cts = new CancellationTokenSource();
      return task({ report() {} }, cts.token);
    },
    onDidChangeWindowState: () => disposable(),
    onDidOpenTerminal: () => disposable(),
    onDidCloseTerminal: () => disposable(),
    onDidChangeActiveTerminal: () => disposable(),
    terminals: [],
    state: { focused: true, active: true },
  });

  const workspace = tolerant('workspace', {
    getConfiguration: configuration,
    onDidChangeConfiguration: configChange.event,
    createFileSystemWatcher: () =>
      tolerant('FileSystemWatcher', {
        onDidChange: () => disposable(),
        onDidCreate: () => disposable(),
        onDidDelete: () => disposable(),
        dispose() {},
      }),
    isTrusted: true,
    onDidGrantWorkspaceTrust: () => disposable(),
    workspaceFolders: undefined,
    openTextDocument: async () => noop('TextDocument'),
  });

  const commands = tolerant('commands', {
    registerCommand(id, fn) {
      state.commands.set(id, fn);
      return { dispose: () => state.commands.delete(id) };
    },
    async executeCommand(id, ...args) {
      const fn = state.commands.get(id);
      return fn ? fn(...args) : undefined;
    },
    getCommands: async () => [...state.commands.keys()],
  });

  const vscode = tolerant('vscode', {
    version: '1.139.0',
    window,
    workspace,
    commands,
    // Activation registers a '*' DebugConfigurationProvider (debug sessions get the session).
    debug: tolerant('debug', { registerDebugConfigurationProvider: () => disposable() }),
    env: tolerant('env', {
      appName: 'Visual Studio Code',
      appRoot: '/tmp',
      language: 'en',
      machineId: 'bench',
      sessionId: 'bench',
      uriScheme: 'vscode',
      remoteName: undefined,
      clipboard: { readText: async () => '', writeText: async () => undefined },
      openExternal: async () => true,
    }),
    l10n: tolerant('l10n', {
      t: (msg, ...args) => {
        const text = typeof msg === 'string' ? msg : msg.message;
        const values = args.length === 1 && typeof args[0] === 'object' && args[0] !== null ? args[0] : args;
        return text.replace(/\{(\w+)\}/g, (m, k) => (values[k] !== undefined ? String(values[k]) : m));
      },
    }),
    Disposable,
    EventEmitter,
    Uri,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    CancellationTokenSource,
    StatusBarAlignment: { Left: 1, Right: 2 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    EnvironmentVariableMutatorType: { Replace: 1, Append: 2, Prepend: 3 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
  });

  return { vscode, state, settings, fireConfigChange: (section) => configChange.fire({ affectsConfiguration: (s) => section.startsWith(s) || s.startsWith(section) }) };
}

/** Makes `require('vscode')` return `stub` in this process. Returns an uninstall function. */
function installVscodeStub(stub) {
  const origResolve = Module._resolveFilename;
  const origLoad = Module._load;
  Module._resolveFilename = function (request, ...rest) {
    if (request === 'vscode') return 'vscode';
    return origResolve.call(this, request, ...rest);
  };
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return stub;
    return origLoad.call(this, request, ...rest);
  };
  return () => {
    Module._resolveFilename = origResolve;
    Module._load = origLoad;
  };
}

/** An ExtensionContext good enough for activate(). */
function createContext(opts) {
  const { extensionPath, storageDir } = opts;
  const envMap = new Map();
  const collection = tolerant('EnvironmentVariableCollection', {
    persistent: true,
    description: undefined,
    replace: (k, v, o) => envMap.set(k, { value: v, type: 1, options: o }),
    append: (k, v, o) => envMap.set(k, { value: v, type: 2, options: o }),
    prepend: (k, v, o) => envMap.set(k, { value: v, type: 3, options: o }),
    get: (k) => envMap.get(k),
    forEach: (cb) => envMap.forEach((v, k) => cb(k, v, collection)),
    delete: (k) => envMap.delete(k),
    clear: () => envMap.clear(),
    getScoped: () => collection,
    [Symbol.iterator]: () => envMap.entries(),
  });
  const secrets = new Map();
  const secretChange = new EventEmitter();
  return {
    context: tolerant('ExtensionContext', {
      subscriptions: [],
      extensionPath,
      extensionUri: Uri.file(extensionPath),
      globalStorageUri: Uri.file(path.join(storageDir, 'global')),
      globalStoragePath: path.join(storageDir, 'global'),
      storageUri: Uri.file(path.join(storageDir, 'workspace')),
      storagePath: path.join(storageDir, 'workspace'),
      logUri: Uri.file(path.join(storageDir, 'log')),
      logPath: path.join(storageDir, 'log'),
      extensionMode: 1,
      globalState: memento(),
      workspaceState: memento(),
      secrets: {
        get: async (k) => secrets.get(k),
        store: async (k, v) => {
          secrets.set(k, v);
          secretChange.fire({ key: k });
        },
        delete: async (k) => {
          secrets.delete(k);
          secretChange.fire({ key: k });
        },
        keys: async () => [...secrets.keys()],
        onDidChange: secretChange.event,
      },
      environmentVariableCollection: collection,
      asAbsolutePath: (p) => path.join(extensionPath, p),
      extension: { id: 'role-switcher.role-switcher-aws', extensionPath, packageJSON: {}, isActive: true },
    }),
    envMap,
  };
}

module.exports = { createVscodeStub, installVscodeStub, createContext, noop };
