// The host's lifecycle base (src/extension/disposable.ts): what an object registers is disposed once, newest first,
// also when one of them throws; something registered after disposal is disposed at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable } from '../../src/extension/disposable';

class Owner extends Disposable {
  own(d: { dispose(): unknown }) {
    return this.register(d);
  }
}

test('a Disposable disposes what it owns once, newest first, past a failing one, and late registrations at once', () => {
  const order: string[] = [];
  const o = new Owner();
  o.own({ dispose: () => order.push('first') });
  o.own({ dispose: () => { order.push('throws'); throw new Error('boom'); } });
  o.own({ dispose: () => order.push('last') });
  assert.equal(o.isDisposed, false);
  o.dispose();
  o.dispose();
  assert.deepEqual(order, ['last', 'throws', 'first']);
  assert.equal(o.isDisposed, true);
  o.own({ dispose: () => order.push('late') });
  assert.deepEqual(order, ['last', 'throws', 'first', 'late']);
});
