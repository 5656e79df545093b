;; Weightprint statistics kernels (WebAssembly SIMD). Source of kernels.wasm.ts (node src/core/stats/wasm/build.mjs).
;; Memory layout (one instance per thread):
;;   [0, 64)              state: f64 s1 @0, s2 @8, s3 @16, s4 @24; f32 min @32, max @36; i32 low-bits OR @40
;;   [1024, 1049600)      four count tables of 65,536 u32 (T0..T3), interleaved to break store-to-load chains;
;;                        count8 uses the same 1 MiB as up to 256 block-column tables of 4 x 256 u32
;;   [0x110000, 0x190000) (index, count) pairs written by collect: 65,536 u32 indices, then 65,536 u32 counts
;;   [0x190000, 0x1d0000) data block of 256 KiB, filled by the caller when its data lies outside this memory
;;   [0x1d0000, ...)      the worker's read buffers when it asks for them (the memory grows once, before use):
;;                        chunks read there are processed in place
(module
  (memory (export "memory") 29)

  ;; Float32 values [p, p + 4n): shifted power sums in float64 per block of 4,096 values (blocked summation,
  ;; added into the state), float32 min/max, OR of the bits, and the fine-bucket count of the upper 16 bits of
  ;; each value (value k of each group of four into table k). n is a multiple of 8, p is 4-aligned (loads are
  ;; unaligned-safe; 16-aligned is the fast case).
  ;; min/max use pmin/pmax (one instruction, no NaN propagation, +0 and -0 compare equal): a NaN or +-Inf in the
  ;; range makes the power sums non-finite and the caller redoes the range exactly; the caller fixes the sign of
  ;; a zero extreme from the exact zero counts.
  (func (export "f32") (param $p i32) (param $n i32) (param $shift f64)
    (local $end i32) (local $bend i32) (local $w i32) (local $v v128) (local $sh v128) (local $d v128) (local $d2 v128)
    (local $e v128) (local $e2 v128)
    (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)
    (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128)
    (local $mn v128) (local $mx v128) (local $low v128) (local $m f32)
    (local.set $sh (f64x2.splat (local.get $shift)))
    (local.set $mn (f32x4.splat (f32.load offset=32 (i32.const 0))))
    (local.set $mx (f32x4.splat (f32.load offset=36 (i32.const 0))))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $bend (i32.add (local.get $p) (i32.const 16384)))
        (if (i32.gt_u (local.get $bend) (local.get $end)) (then (local.set $bend (local.get $end))))
        (local.set $a1 (v128.const i64x2 0 0)) (local.set $a2 (v128.const i64x2 0 0)) (local.set $a3 (v128.const i64x2 0 0)) (local.set $a4 (v128.const i64x2 0 0))
        (loop $inner
        (local.set $v (v128.load offset=0 (local.get $p)))
        (local.set $low (v128.or (local.get $low) (local.get $v)))
        (local.set $mn (f32x4.pmin (local.get $mn) (local.get $v)))
        (local.set $mx (f32x4.pmax (local.get $mx) (local.get $v)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=0 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=1024 (local.get $w) (i32.add (i32.load offset=1024 (local.get $w)) (i32.const 1)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=4 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=263168 (local.get $w) (i32.add (i32.load offset=263168 (local.get $w)) (i32.const 1)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=8 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=525312 (local.get $w) (i32.add (i32.load offset=525312 (local.get $w)) (i32.const 1)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=12 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=787456 (local.get $w) (i32.add (i32.load offset=787456 (local.get $w)) (i32.const 1)))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $sh)))
        (local.set $e (f64x2.sub (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $sh)))
        (local.set $d2 (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $e2 (f64x2.mul (local.get $e) (local.get $e)))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.add (local.get $d) (local.get $e))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.add (local.get $d2) (local.get $e2))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.add (f64x2.mul (local.get $d2) (local.get $d)) (f64x2.mul (local.get $e2) (local.get $e)))))
        (local.set $a4 (f64x2.add (local.get $a4) (f64x2.add (f64x2.mul (local.get $d2) (local.get $d2)) (f64x2.mul (local.get $e2) (local.get $e2)))))
        (local.set $v (v128.load offset=16 (local.get $p)))
        (local.set $low (v128.or (local.get $low) (local.get $v)))
        (local.set $mn (f32x4.pmin (local.get $mn) (local.get $v)))
        (local.set $mx (f32x4.pmax (local.get $mx) (local.get $v)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=16 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=1024 (local.get $w) (i32.add (i32.load offset=1024 (local.get $w)) (i32.const 1)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=20 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=263168 (local.get $w) (i32.add (i32.load offset=263168 (local.get $w)) (i32.const 1)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=24 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=525312 (local.get $w) (i32.add (i32.load offset=525312 (local.get $w)) (i32.const 1)))
        (local.set $w (i32.and (i32.shr_u (i32.load offset=28 (local.get $p)) (i32.const 14)) (i32.const 0x3fffc)))
        (i32.store offset=787456 (local.get $w) (i32.add (i32.load offset=787456 (local.get $w)) (i32.const 1)))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $sh)))
        (local.set $e (f64x2.sub (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $sh)))
        (local.set $d2 (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $e2 (f64x2.mul (local.get $e) (local.get $e)))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.add (local.get $d) (local.get $e))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.add (local.get $d2) (local.get $e2))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.add (f64x2.mul (local.get $d2) (local.get $d)) (f64x2.mul (local.get $e2) (local.get $e)))))
        (local.set $a4 (f64x2.add (local.get $a4) (f64x2.add (f64x2.mul (local.get $d2) (local.get $d2)) (f64x2.mul (local.get $e2) (local.get $e2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br_if $inner (i32.lt_u (local.get $p) (local.get $bend))))
        (local.set $s1 (f64x2.add (local.get $s1) (local.get $a1)))
        (local.set $s2 (f64x2.add (local.get $s2) (local.get $a2)))
        (local.set $s3 (f64x2.add (local.get $s3) (local.get $a3)))
        (local.set $s4 (f64x2.add (local.get $s4) (local.get $a4)))
        (br $blocks)))
    (f64.store offset=0 (i32.const 0) (f64.add (f64.load offset=0 (i32.const 0))
      (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1)))))
    (f64.store offset=8 (i32.const 0) (f64.add (f64.load offset=8 (i32.const 0))
      (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2)))))
    (f64.store offset=16 (i32.const 0) (f64.add (f64.load offset=16 (i32.const 0))
      (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3)))))
    (f64.store offset=24 (i32.const 0) (f64.add (f64.load offset=24 (i32.const 0))
      (f64.add (f64x2.extract_lane 0 (local.get $s4)) (f64x2.extract_lane 1 (local.get $s4)))))
    (local.set $m (f32.min (f32.min (f32x4.extract_lane 0 (local.get $mn)) (f32x4.extract_lane 1 (local.get $mn)))
      (f32.min (f32x4.extract_lane 2 (local.get $mn)) (f32x4.extract_lane 3 (local.get $mn)))))
    (f32.store offset=32 (i32.const 0) (local.get $m))
    (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mx)) (f32x4.extract_lane 1 (local.get $mx)))
      (f32.max (f32x4.extract_lane 2 (local.get $mx)) (f32x4.extract_lane 3 (local.get $mx)))))
    (f32.store offset=36 (i32.const 0) (local.get $m))
    (i32.store offset=40 (i32.const 0) (i32.or (i32.load offset=40 (i32.const 0))
      (i32.or (i32.or (i32x4.extract_lane 0 (local.get $low)) (i32x4.extract_lane 1 (local.get $low)))
        (i32.or (i32x4.extract_lane 2 (local.get $low)) (i32x4.extract_lane 3 (local.get $low))))))
  )

  ;; Counts the 16-bit little-endian codes of bytes [p, p + nbytes) into T0..T3 (consecutive codes into different
  ;; tables). nbytes is a multiple of 16, p is even.
  (func (export "count16") (param $p i32) (param $nbytes i32)
    (local $end i32) (local $w i32) (local $x i64) (local $y i64)
    (local.set $end (i32.add (local.get $p) (local.get $nbytes)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (i64.load (local.get $p)))
        (local.set $y (i64.load offset=8 (local.get $p)))
      (local.set $w (i32.and (i32.shl (i32.wrap_i64 (local.get $x)) (i32.const 2)) (i32.const 0x3fffc)))
      (i32.store offset=1024 (local.get $w) (i32.add (i32.load offset=1024 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.shr_u (i32.wrap_i64 (local.get $x)) (i32.const 14)) (i32.const 0x3fffc)))
      (i32.store offset=263168 (local.get $w) (i32.add (i32.load offset=263168 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 30))) (i32.const 0x3fffc)))
      (i32.store offset=525312 (local.get $w) (i32.add (i32.load offset=525312 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 46))) (i32.const 0x3fffc)))
      (i32.store offset=787456 (local.get $w) (i32.add (i32.load offset=787456 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.shl (i32.wrap_i64 (local.get $y)) (i32.const 2)) (i32.const 0x3fffc)))
      (i32.store offset=1024 (local.get $w) (i32.add (i32.load offset=1024 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.shr_u (i32.wrap_i64 (local.get $y)) (i32.const 14)) (i32.const 0x3fffc)))
      (i32.store offset=263168 (local.get $w) (i32.add (i32.load offset=263168 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 30))) (i32.const 0x3fffc)))
      (i32.store offset=525312 (local.get $w) (i32.add (i32.load offset=525312 (local.get $w)) (i32.const 1)))
      (local.set $w (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 46))) (i32.const 0x3fffc)))
      (i32.store offset=787456 (local.get $w) (i32.add (i32.load offset=787456 (local.get $w)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $loop)))
  )

  ;; Counts the 8-bit codes of bytes [p, p + n) of a weight viewed as rows of `cols` codes, the first at column c,
  ;; per block column of `bc` columns: block column cb counts into the four 256-entry lanes of the 4 KiB table at
  ;; tb + 4096 cb (byte k of each 32-bit word into lane k). The caller splits calls at block-row boundaries.
  (func (export "count8") (param $p i32) (param $n i32) (param $c i32) (param $cols i32) (param $bc i32) (param $tb i32)
    (local $end i32) (local $cb i32) (local $seg i32) (local $len i32) (local $base i32) (local $q i32) (local $w i32) (local $a i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $done
      (loop $segs
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $cb (i32.div_u (local.get $c) (local.get $bc)))
        (local.set $seg (i32.mul (i32.add (local.get $cb) (i32.const 1)) (local.get $bc)))
        (if (i32.gt_u (local.get $seg) (local.get $cols)) (then (local.set $seg (local.get $cols))))
        (local.set $len (i32.sub (local.get $seg) (local.get $c)))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $end) (local.get $p)))
          (then (local.set $len (i32.sub (local.get $end) (local.get $p)))))
        (local.set $base (i32.add (local.get $tb) (i32.shl (local.get $cb) (i32.const 12))))
        (local.set $c (i32.add (local.get $c) (local.get $len)))
        (if (i32.eq (local.get $c) (local.get $cols)) (then (local.set $c (i32.const 0))))
        (local.set $q (i32.add (local.get $p) (i32.and (local.get $len) (i32.const -4))))
        (block $wdone
          (loop $words
            (br_if $wdone (i32.ge_u (local.get $p) (local.get $q)))
            (local.set $w (i32.load (local.get $p)))
            (local.set $a (i32.add (local.get $base) (i32.shl (i32.and (local.get $w) (i32.const 0xff)) (i32.const 2))))
            (i32.store offset=0 (local.get $a) (i32.add (i32.load offset=0 (local.get $a)) (i32.const 1)))
            (local.set $a (i32.add (local.get $base) (i32.and (i32.shr_u (local.get $w) (i32.const 6)) (i32.const 0x3fc))))
            (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
            (local.set $a (i32.add (local.get $base) (i32.and (i32.shr_u (local.get $w) (i32.const 14)) (i32.const 0x3fc))))
            (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
            (local.set $a (i32.add (local.get $base) (i32.and (i32.shr_u (local.get $w) (i32.const 22)) (i32.const 0x3fc))))
            (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $words)))
        (local.set $q (i32.add (local.get $p) (i32.and (local.get $len) (i32.const 3))))
        (block $bdone
          (loop $bytes
            (br_if $bdone (i32.ge_u (local.get $p) (local.get $q)))
            (local.set $a (i32.add (local.get $base) (i32.shl (i32.load8_u (local.get $p)) (i32.const 2))))
            (i32.store offset=0 (local.get $a) (i32.add (i32.load offset=0 (local.get $a)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $bytes)))
        (br $segs)))
  )

;; The non-zero buckets of T0 + T1 + T2 + T3 as (index, count) pairs in ascending index order: indices from
  ;; byte $pi, counts from byte $pc (u32 each). Clears the tables and returns the number of pairs. A bucket's four
  ;; counts never wrap to 0 (they add up to at most the values of one call), so an all-zero sum means four zeros.
  (func (export "collect") (param $pi i32) (param $pc i32) (result i32)
    (local $p i32) (local $s v128) (local $c i32) (local $k i32) (local $pc0 i32)
    (local.set $pc0 (local.get $pc))
    (loop $loop
      (local.set $s
        (i32x4.add
          (i32x4.add (v128.load offset=1024 (local.get $p)) (v128.load offset=263168 (local.get $p)))
          (i32x4.add (v128.load offset=525312 (local.get $p)) (v128.load offset=787456 (local.get $p)))))
      (if (v128.any_true (local.get $s))
        (then
          (v128.store offset=1024 (local.get $p) (v128.const i64x2 0 0))
          (v128.store offset=263168 (local.get $p) (v128.const i64x2 0 0))
          (v128.store offset=525312 (local.get $p) (v128.const i64x2 0 0))
          (v128.store offset=787456 (local.get $p) (v128.const i64x2 0 0))
          ;; Each lane writes its pair unconditionally and advances the cursor only when its count is non-zero.
          (local.set $k (i32.shr_u (local.get $p) (i32.const 2)))
          (local.set $c (i32x4.extract_lane 0 (local.get $s)))
          (i32.store (local.get $pi) (local.get $k))
          (i32.store (local.get $pc) (local.get $c))
          (local.set $c (i32.shl (i32.ne (local.get $c) (i32.const 0)) (i32.const 2)))
          (local.set $pi (i32.add (local.get $pi) (local.get $c)))
          (local.set $pc (i32.add (local.get $pc) (local.get $c)))
          (local.set $c (i32x4.extract_lane 1 (local.get $s)))
          (i32.store (local.get $pi) (i32.add (local.get $k) (i32.const 1)))
          (i32.store (local.get $pc) (local.get $c))
          (local.set $c (i32.shl (i32.ne (local.get $c) (i32.const 0)) (i32.const 2)))
          (local.set $pi (i32.add (local.get $pi) (local.get $c)))
          (local.set $pc (i32.add (local.get $pc) (local.get $c)))
          (local.set $c (i32x4.extract_lane 2 (local.get $s)))
          (i32.store (local.get $pi) (i32.add (local.get $k) (i32.const 2)))
          (i32.store (local.get $pc) (local.get $c))
          (local.set $c (i32.shl (i32.ne (local.get $c) (i32.const 0)) (i32.const 2)))
          (local.set $pi (i32.add (local.get $pi) (local.get $c)))
          (local.set $pc (i32.add (local.get $pc) (local.get $c)))
          (local.set $c (i32x4.extract_lane 3 (local.get $s)))
          (i32.store (local.get $pi) (i32.add (local.get $k) (i32.const 3)))
          (i32.store (local.get $pc) (local.get $c))
          (local.set $c (i32.shl (i32.ne (local.get $c) (i32.const 0)) (i32.const 2)))
          (local.set $pi (i32.add (local.get $pi) (local.get $c)))
          (local.set $pc (i32.add (local.get $pc) (local.get $c)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $loop (i32.lt_u (local.get $p) (i32.const 262144))))
    (i32.shr_u (i32.sub (local.get $pc) (local.get $pc0)) (i32.const 2))
  )
)
