;; The exact nearest-row scan of the UMAP placing (src/model/umap-placement.ts) in WebAssembly
;; SIMD: for each query row, the index of the table row with the largest dot product (the first
;; of equals). Rows are float64, `d` numbers each, d a positive multiple of 4, laid out
;; row-major in this module's memory.
;;
;; Each dot product is the same float64 arithmetic as `dot` in src/model/umap-knn.ts: four
;; partial sums s0…s3 over the columns c ≡ 0…3 (mod 4), each a running `s += x·y` from 0 (a
;; multiply, then an add, never fused), combined as (s0 + s1) + (s2 + s3). Here s0, s1 are the
;; two lanes of one f64x2 accumulator and s2, s3 of another. Two table rows are scanned at once
;; for instruction-level parallelism; their results are compared in row order.
;;
;; Assembled by scripts/build-wasm.ts (wabt) into nearest-row-wasm.ts; a unit test checks the
;; committed bytes against this file.
(module
  (memory (export "memory") 1)
  ;; nearest(q, nq, u, m, d, out): for r in [0, nq), i32 out[r] = argmax over t in [0, m) of
  ;; dot(row r of the table at q, row t of the table at u). Byte offsets q, u, out; m ≥ 1.
  (func (export "nearest")
    (param $q i32) (param $nq i32) (param $u i32) (param $m i32) (param $d i32) (param $out i32)
    (local $r i32) (local $t i32) (local $c i32) (local $qp i32) (local $up i32)
    (local $rowBytes i32) (local $bi i32) (local $best f64) (local $s f64) (local $x v128)
    (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $r (i32.const 0))
    (block $queriesDone
      (loop $queries
        (br_if $queriesDone (i32.ge_u (local.get $r) (local.get $nq)))
        (local.set $qp (i32.add (local.get $q) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $best (f64.const -inf))
        (local.set $bi (i32.const 0))
        (local.set $t (i32.const 0))
        (local.set $up (local.get $u))
        ;; Two rows at a time: t and t + 1.
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (i32.add (local.get $t) (i32.const 1)) (local.get $m)))
            (local.set $a01 (v128.const f64x2 0 0))
            (local.set $a23 (v128.const f64x2 0 0))
            (local.set $b01 (v128.const f64x2 0 0))
            (local.set $b23 (v128.const f64x2 0 0))
            (local.set $c (i32.const 0))
            (loop $cols
              (local.set $x (v128.load align=8 (i32.add (local.get $qp) (local.get $c))))
              (local.set $a01 (f64x2.add (local.get $a01)
                (f64x2.mul (local.get $x)
                  (v128.load align=8 (i32.add (local.get $up) (local.get $c))))))
              (local.set $b01 (f64x2.add (local.get $b01)
                (f64x2.mul (local.get $x)
                  (v128.load align=8
                    (i32.add (i32.add (local.get $up) (local.get $rowBytes)) (local.get $c))))))
              (local.set $x (v128.load offset=16 align=8 (i32.add (local.get $qp) (local.get $c))))
              (local.set $a23 (f64x2.add (local.get $a23)
                (f64x2.mul (local.get $x)
                  (v128.load offset=16 align=8 (i32.add (local.get $up) (local.get $c))))))
              (local.set $b23 (f64x2.add (local.get $b23)
                (f64x2.mul (local.get $x)
                  (v128.load offset=16 align=8
                    (i32.add (i32.add (local.get $up) (local.get $rowBytes)) (local.get $c))))))
              (local.set $c (i32.add (local.get $c) (i32.const 32)))
              (br_if $cols (i32.lt_u (local.get $c) (local.get $rowBytes))))
            (local.set $s
              (f64.add
                (f64.add (f64x2.extract_lane 0 (local.get $a01)) (f64x2.extract_lane 1 (local.get $a01)))
                (f64.add (f64x2.extract_lane 0 (local.get $a23)) (f64x2.extract_lane 1 (local.get $a23)))))
            (if (f64.gt (local.get $s) (local.get $best))
              (then (local.set $best (local.get $s)) (local.set $bi (local.get $t))))
            (local.set $s
              (f64.add
                (f64.add (f64x2.extract_lane 0 (local.get $b01)) (f64x2.extract_lane 1 (local.get $b01)))
                (f64.add (f64x2.extract_lane 0 (local.get $b23)) (f64x2.extract_lane 1 (local.get $b23)))))
            (if (f64.gt (local.get $s) (local.get $best))
              (then (local.set $best (local.get $s))
                    (local.set $bi (i32.add (local.get $t) (i32.const 1)))))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (local.set $up (i32.add (local.get $up) (i32.shl (local.get $rowBytes) (i32.const 1))))
            (br $pairs)))
        ;; The last row when m is odd.
        (if (i32.lt_u (local.get $t) (local.get $m))
          (then
            (local.set $a01 (v128.const f64x2 0 0))
            (local.set $a23 (v128.const f64x2 0 0))
            (local.set $c (i32.const 0))
            (loop $cols1
              (local.set $a01 (f64x2.add (local.get $a01)
                (f64x2.mul (v128.load align=8 (i32.add (local.get $qp) (local.get $c)))
                  (v128.load align=8 (i32.add (local.get $up) (local.get $c))))))
              (local.set $a23 (f64x2.add (local.get $a23)
                (f64x2.mul (v128.load offset=16 align=8 (i32.add (local.get $qp) (local.get $c)))
                  (v128.load offset=16 align=8 (i32.add (local.get $up) (local.get $c))))))
              (local.set $c (i32.add (local.get $c) (i32.const 32)))
              (br_if $cols1 (i32.lt_u (local.get $c) (local.get $rowBytes))))
            (local.set $s
              (f64.add
                (f64.add (f64x2.extract_lane 0 (local.get $a01)) (f64x2.extract_lane 1 (local.get $a01)))
                (f64.add (f64x2.extract_lane 0 (local.get $a23)) (f64x2.extract_lane 1 (local.get $a23)))))
            (if (f64.gt (local.get $s) (local.get $best))
              (then (local.set $bi (local.get $t))))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $bi))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $queries)))))
