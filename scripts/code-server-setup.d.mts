// Types for scripts/code-server-setup.mjs (plain JS so the demo launcher and the E2E runner share it).
export const CODE_SERVER_VERSION: string;
export const NODE_MAJOR: string;
export const REPO: string;
export const CACHE: string;
export const NODE24_DIR: string;
export const CODE_SERVER_DIR: string;
export interface CodeServerPaths {
  /** the Node 24 binary to run code-server with */
  node: string;
  /** code-server's out/node/entry.js */
  entry: string;
  version: string;
  /** node@24's platform package folder (bin/, include/) */
  nodeDist: string;
}
export function ensureSystemPackages(required: string[], opts?: { optional?: string[]; log?: (m: string) => void }): void;
export function ensureCodeServer(opts?: { log?: (m: string) => void; systemPackages?: boolean }): CodeServerPaths;
export function findChromium(): string | undefined;
export function findAwsCli(): string | undefined;
