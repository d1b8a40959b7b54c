import * as assert from 'node:assert';
import { runFuzz } from '../fuzz/run';

// A 30 s slice of the config-file fuzzer (the full run: npx tsx test/fuzz/run.ts --seconds N).
describe('config-file fuzzer (30 s smoke run)', function () {
  this.timeout(120_000);

  it('finds no failures on a meaningful number of accepted and rejected inputs', async () => {
    const lines: string[] = [];
    const r = await runFuzz({ seconds: 30, log: (l) => lines.push(l) });
    assert.deepStrictEqual({ failures: r.failures, output: lines }, { failures: 0, output: [] });
    assert.ok(r.inputs >= 500, `only ${r.inputs} inputs in 30 s`);
    assert.ok(r.accepted >= 10, `only ${r.accepted} accepted inputs`);
    assert.ok(r.rejected >= 10, `only ${r.rejected} rejected inputs`);
    assert.ok(r.compared >= r.inputs / 2, `only ${r.compared} of ${r.inputs} compared with the SDK`);
    assert.ok(r.rolesResolved > 0, 'no role resolved');
  });
});
