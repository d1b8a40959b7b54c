import { join } from 'node:path';
import type { CredentialEndpoint, EndpointBinding, EndpointCredentials } from '../core/credentialEndpoint';
import type { EndpointTarget } from '../core/terminalEnv';

type EndpointModule = typeof import('../core/credentialEndpoint');

/**
 * The server is its own bundle (dist/endpoint.js), required on first need, so activation neither
 * evaluates it nor grows dist/extension.js. Under tsx (tests) this file runs from src/host/ and the
 * module is the TypeScript source. A computed path: esbuild leaves the require alone.
 */
function loadEndpointModule(): EndpointModule {
  const file = __filename.endsWith('.ts') ? join(__dirname, '..', 'core', 'credentialEndpoint') : join(__dirname, 'endpoint.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as EndpointModule;
}

/**
 * The window's credential endpoint, started on first need (a session becoming active in endpoint
 * mode), never at activation. One binding serves the window session: its getter reads the store's
 * current session at request time, so a switch or a renewal (one immutable Session object replaced
 * atomically) is served from the next request on. Per-terminal roles add bindings of their own with
 * bindExtra(). dispose() stops the server with the window.
 */
export class WindowCredentialEndpoint {
  private endpoint: CredentialEndpoint | undefined;
  private window: Promise<EndpointBinding> | undefined;
  private ready: EndpointBinding | undefined;
  private disposed = false;

  constructor(private readonly current: () => EndpointCredentials | undefined) {}

  /** The window binding once started; undefined before (callers then await target()). */
  get started(): EndpointTarget | undefined {
    return this.ready;
  }

  /** Starts the server and the window binding if needed. */
  target(): Promise<EndpointTarget> {
    if (this.disposed) return Promise.reject(new Error('the credential endpoint is closed'));
    if (!this.window) {
      this.window = this.server()
        .then((ep) => {
          const b = ep.bind(() => this.current());
          this.ready = b;
          return b;
        })
        .catch((e: unknown) => {
          this.window = undefined;
          throw e;
        });
    }
    return this.window;
  }

  /** A binding of its own (a per-terminal role): its own path and token. */
  async bindExtra(getCredentials: () => EndpointCredentials | undefined): Promise<EndpointBinding> {
    const ep = await this.server();
    return ep.bind(getCredentials);
  }

  private async server(): Promise<CredentialEndpoint> {
    this.endpoint ??= new (loadEndpointModule().CredentialEndpoint)();
    await this.endpoint.start();
    return this.endpoint;
  }

  dispose(): void {
    this.disposed = true;
    this.ready = undefined;
    this.window = undefined;
    void this.endpoint?.close();
    this.endpoint = undefined;
  }
}
