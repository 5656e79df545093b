import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  bf16BitsToNumber, decode, e8m0BitsToNumber, f16BitsToNumber, f8e4m3BitsToNumber, f8e4m3fnuzBitsToNumber, f8e5m2BitsToNumber, f8e5m2fnuzBitsToNumber, parseDType,
} from '../../src/core/format/dtype';

// Expected values are computed by hand from the bit layouts (sign | exponent | mantissa).
describe('dtype decoding against hand-computed bit patterns', () => {
  test('F16: normals, subnormals, zeros, infinities, NaN', () => {
    const cases: [number, number][] = [
      [0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0x0400, 2 ** -14],
      [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24], [0x0000, 0], [0x7c00, Infinity], [0xfc00, -Infinity],
    ];
    for (const [bits, v] of cases) assert.equal(f16BitsToNumber(bits), v, bits.toString(16));
    assert.ok(Object.is(f16BitsToNumber(0x8000), -0));
    assert.ok(Number.isNaN(f16BitsToNumber(0x7e00)));
    assert.ok(Number.isNaN(f16BitsToNumber(0x7c01)));
  });

  test('BF16', () => {
    const cases: [number, number][] = [
      [0x3f80, 1], [0xc040, -3], [0x3e80, 0.25], [0x7f7f, 3.3895313892515355e38], [0x0001, 2 ** -133], [0x7f80, Infinity], [0xff80, -Infinity],
    ];
    for (const [bits, v] of cases) assert.equal(bf16BitsToNumber(bits), v, bits.toString(16));
    assert.ok(Number.isNaN(bf16BitsToNumber(0x7fc0)));
  });

  test('F8_E4M3 (FN): max 448, subnormals, NaN only at S.1111.111, no infinities', () => {
    const cases: [number, number][] = [
      [0x38, 1], [0x7e, 448], [0xfe, -448], [0x01, 2 ** -9], [0x07, 7 * 2 ** -9], [0x08, 2 ** -6], [0x40, 2], [0x78, 256], [0x00, 0],
    ];
    for (const [bits, v] of cases) assert.equal(f8e4m3BitsToNumber(bits), v, bits.toString(16));
    assert.ok(Number.isNaN(f8e4m3BitsToNumber(0x7f)));
    assert.ok(Number.isNaN(f8e4m3BitsToNumber(0xff)));
  });

  test('F8_E5M2: IEEE-like with infinities', () => {
    const cases: [number, number][] = [
      [0x3c, 1], [0x7b, 57344], [0x01, 2 ** -16], [0x04, 2 ** -14], [0x7c, Infinity], [0xfc, -Infinity], [0xc0, -2],
    ];
    for (const [bits, v] of cases) assert.equal(f8e5m2BitsToNumber(bits), v, bits.toString(16));
    assert.ok(Number.isNaN(f8e5m2BitsToNumber(0x7d)));
  });

  test('FP8 FNUZ (torch float8_e4m3fnuz / float8_e5m2fnuz): biases 8 and 16, no infinities or negative zero, 0x80 the one NaN', () => {
    // E4M3FNUZ: 1.0 = 0x40, max 0x7f = 240, smallest subnormal 2^-10, no -0 (0x80 is NaN), 0xff = -240.
    for (const [bits, v] of [[0x40, 1], [0x7f, 240], [0x01, 2 ** -10], [0x08, 2 ** -7], [0xc0, -1], [0xff, -240], [0x00, 0]] as const) {
      assert.equal(f8e4m3fnuzBitsToNumber(bits), v, bits.toString(16));
    }
    // E5M2FNUZ: 1.0 = 0x40, max 0x7f = 57344, smallest subnormal 2^-17, smallest normal 2^-15.
    for (const [bits, v] of [[0x40, 1], [0x7f, 57344], [0x01, 2 ** -17], [0x04, 2 ** -15], [0xfc, -(2 ** 15)], [0x00, 0]] as const) {
      assert.equal(f8e5m2fnuzBitsToNumber(bits), v, bits.toString(16));
    }
    assert.ok(Number.isNaN(f8e4m3fnuzBitsToNumber(0x80)) && Number.isNaN(f8e5m2fnuzBitsToNumber(0x80)));
    assert.equal([...Array(256).keys()].filter((c) => Number.isNaN(f8e4m3fnuzBitsToNumber(c)) || !Number.isFinite(f8e5m2fnuzBitsToNumber(c))).length, 1);
    assert.equal(parseDType('F8_E4M3FNUZ'), 'F8_E4M3FNUZ');
    assert.deepEqual([...decode('F8_E5M2FNUZ', new Uint8Array([0x40, 0x80, 0x7f]))].map(String), ['1', 'NaN', '57344']);
  });

  test('E8M0 scales are powers of two, 0xff is NaN', () => {
    assert.equal(e8m0BitsToNumber(127), 1);
    assert.equal(e8m0BitsToNumber(0), 2 ** -127);
    assert.equal(e8m0BitsToNumber(130), 8);
    assert.ok(Number.isNaN(e8m0BitsToNumber(255)));
    assert.equal(parseDType('E8M0'), 'F8_E8M0');
  });

  test('integer and bool dtypes, little-endian', () => {
    const b = new Uint8Array([0xff, 0xff, 0x01, 0x80]);
    assert.deepEqual([...decode('I16', b)], [-1, -32767]);
    assert.deepEqual([...decode('U16', b)], [65535, 32769]);
    assert.deepEqual([...decode('I8', b)], [-1, -1, 1, -128]);
    assert.deepEqual([...decode('U8', b)], [255, 255, 1, 128]);
    assert.deepEqual([...decode('I32', b)], [-2147352577]);
    assert.deepEqual([...decode('U32', b)], [0x8001ffff]);
    assert.deepEqual([...decode('BOOL', new Uint8Array([0, 1, 2]))], [0, 1, 1]);
    const i64 = new Uint8Array(16);
    new DataView(i64.buffer).setBigInt64(0, -5n, true);
    new DataView(i64.buffer).setBigUint64(8, 2n ** 40n + 3n, true);
    assert.deepEqual([...decode('I64', i64)], [-5, 2 ** 40 + 3]);
  });

  test('F32 and F64 decode through byte offsets that are not aligned', () => {
    const buf = new Uint8Array(13);
    new DataView(buf.buffer).setFloat32(1, -1.5, true);
    new DataView(buf.buffer).setFloat64(5, Math.PI, true);
    assert.deepEqual([...decode('F32', buf, 1, 1)], [-1.5]);
    assert.deepEqual([...decode('F64', buf, 5, 1)], [Math.PI]);
  });

  test('every F16 and F8 code decodes and agrees with its table-free formula', () => {
    const bytes = new Uint8Array(65536 * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 65536; i++) view.setUint16(i * 2, i, true);
    const decoded = decode('F16', bytes);
    for (let i = 0; i < 65536; i++) {
      const want = f16BitsToNumber(i);
      assert.ok(Object.is(decoded[i], want) || (Number.isNaN(want) && Number.isNaN(decoded[i])), `code ${i}`);
    }
    const all8 = Uint8Array.from({ length: 256 }, (_, i) => i);
    decode('F8_E4M3', all8).forEach((v, i) => assert.ok(Object.is(v, f8e4m3BitsToNumber(i)) || Number.isNaN(v)));
  });
});

describe('sub-byte floats against the OCP MX specification', () => {
  test('FP4 E2M1, FP6 E2M3 and FP6 E3M2: every listed value, packed as the reference and torch pack them', async () => {
    const { f4e2m1BitsToNumber, f6e2m3BitsToNumber, f6e3m2BitsToNumber } = await import('../../src/core/format/blocks');
    assert.deepEqual(Array.from({ length: 8 }, (_, c) => f4e2m1BitsToNumber(c)), [0, 0.5, 1, 1.5, 2, 3, 4, 6]);
    assert.equal(f4e2m1BitsToNumber(0xf), -6);
    // E2M3: max 7.5 (0b011111), smallest subnormal 0.125; E3M2: max 28 (0b011111), smallest subnormal 0.0625.
    assert.deepEqual([f6e2m3BitsToNumber(0x1f), f6e2m3BitsToNumber(1), f6e2m3BitsToNumber(0x08), f6e2m3BitsToNumber(0x3f)], [7.5, 0.125, 1, -7.5]);
    assert.deepEqual([f6e3m2BitsToNumber(0x1f), f6e3m2BitsToNumber(1), f6e3m2BitsToNumber(0x0c), f6e3m2BitsToNumber(0x3f)], [28, 0.0625, 1, -28]);
    // Byte 0x72: element 0 = low nibble 2 (1.0), element 1 = high nibble 7 (6.0).
    assert.deepEqual([...decode('F4', new Uint8Array([0x72]))], [1, 6]);
    // Codes 8 (1.0), 1 (0.125), 0x1f (7.5), 0x20 (-0): little-endian 24-bit word 0x20 << 18 | 0x1f << 12 | 1 << 6 | 8.
    const w = (0x20 << 18) | (0x1f << 12) | (1 << 6) | 8;
    assert.deepEqual([...decode('F6_E2M3', new Uint8Array([w & 255, (w >> 8) & 255, w >> 16]))].map(String), ['1', '0.125', '7.5', '0']);
  });
});
