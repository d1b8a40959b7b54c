import { strict as assert } from 'node:assert';
import { FakeClock } from '../../src/core/clock';
import { SessionStore, type SessionChange } from '../../src/core/session';
import { role, session } from '../helpers/builders';

describe('SessionStore', () => {
  let clock: FakeClock;
  let store: SessionStore;
  let events: SessionChange['kind'][];

  beforeEach(() => {
    clock = new FakeClock();
    store = new SessionStore(clock);
    events = [];
    store.onDidChange((c) => events.push(c.kind));
  });

  it('starts empty and replaces the whole chain at once', () => {
    assert.equal(store.current, undefined);
    const a = session({ role: role({ id: 'a' }) }, clock.now());
    const b = session({ role: role({ id: 'b' }) }, clock.now());
    store.replace([a, b]);
    assert.equal(store.current, b);
    assert.equal(store.depth, 2);
    assert.deepEqual(events, ['switched']);
  });

  it('pops one level at a time back to the base identity', () => {
    const a = session({ role: role({ id: 'a' }) }, clock.now());
    const b = session({ role: role({ id: 'b' }) }, clock.now());
    store.replace([a, b]);
    assert.equal(store.pop(), a);
    assert.equal(store.pop(), undefined);
    assert.equal(store.current, undefined);
    assert.equal(store.pop(), undefined);
    assert.deepEqual(events, ['switched', 'poppedTo', 'poppedTo']);
  });

  it('skips an expired parent when popping', () => {
    const a = session({ role: role({ id: 'a' }), expiration: new Date(clock.now() + 60_000) }, clock.now());
    const b = session({ role: role({ id: 'b' }), expiration: new Date(clock.now() + 3600_000) }, clock.now());
    store.replace([a, b]);
    clock.advance(120_000);
    assert.equal(store.pop(), undefined);
  });

  it('ends the chain when the active session expires, once', () => {
    store.replace([session({}, clock.now())]);
    clock.advance(3599_000);
    assert.ok(store.current);
    clock.advance(1_000);
    assert.equal(store.current, undefined);
    assert.deepEqual(events, ['switched', 'expired']);
    assert.equal(clock.pendingTimers, 0);
  });

  it('refuses an already expired session and keeps the previous one', () => {
    const good = session({}, clock.now());
    store.replace([good]);
    assert.throws(() => store.replace([session({ expiration: new Date(clock.now() - 1) })]));
    assert.equal(store.current, good);
  });

  it('re-arms the timer on replace so an old expiry cannot end a new session', () => {
    store.replace([session({ expiration: new Date(clock.now() + 60_000) })]);
    const next = session({ role: role({ id: 'n' }), expiration: new Date(clock.now() + 7200_000) });
    store.replace([next]);
    clock.advance(61_000);
    assert.equal(store.current, next);
    assert.equal(clock.pendingTimers, 1);
  });

  it('clear() ends everything and says so once', () => {
    store.replace([session({}, clock.now())]);
    store.clear();
    store.clear();
    assert.equal(store.current, undefined);
    assert.deepEqual(events, ['switched', 'cleared']);
    assert.equal(clock.pendingTimers, 0);
  });

  it('reports remaining time from the injected clock', () => {
    store.replace([session({}, clock.now())]);
    clock.advance(600_000);
    assert.equal(store.remainingMs(), 3000_000);
  });
});
