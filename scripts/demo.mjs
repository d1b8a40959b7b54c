// `npm start` launcher: runs scripts/demo.ts through tsx in this process (so Ctrl+C reaches it directly).
// `import 'tsx'` registers tsx's ESM and CommonJS hooks, as `node --import tsx` does.
import 'tsx';

await import('./demo.ts');
