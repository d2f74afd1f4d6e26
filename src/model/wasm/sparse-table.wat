;; Kernels of a sparse embedding table (src/model/embedding.ts) whose weights, lazy-Adam moments
;; and scratch live in this instance's imported memory, in WebAssembly SIMD, with exactly the
;; arithmetic of the JavaScript they replace (so every weight is the same to the last bit):
;;
;; adam: for each touched row, per column, in float64 (two lanes at a time):
;;   m = β1·m + (1 − β1)·g;  v = β2·v + ((1 − β2)·g)·g   (stored as float32, used as float64)
;;   w = float32(w − (lr·m) / (√v + ε))
;; spreadBags: each bag's gradient, divided by its size in float64, added to its rows'
;;   float32 gradients (float64 sum, rounded), bag by bag and row by row as in JavaScript.
;; bagMean: each bag's average of its rows in float32 (four lanes at a time): the float32 sum in
;;   id order, then divided by the count (a float32 sum or quotient of float32 values computed in
;;   float64 and rounded, as JavaScript does, equals the float32 operation).
;;
;; In a table of a million rows each row read at random is a cache and TLB miss, and a row's
;; arithmetic is long enough that the processor does not reach the next row's loads while it
;; waits: adam reads one word of each of the next 32 rows every 32 rows, and bagMean of the next
;; 8 every 8, so those misses wait for memory together (the words read only feed the function's
;; i32 result, which callers ignore; the arithmetic and its order are unchanged).
;;
;; Assembled by scripts/build-wasm.ts (wabt) into sparse-table-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  ;; adam(ids, n, grads, d, w, mv, lr, b1, b2, a1, a2, eps): rows ids[0 … n) (i32, distinct),
  ;; gradients grads [n × d] f32, weights at w [rows × d] f32, moments at mv [rows × 2d] f32
  ;; (row r: m then v). d a positive multiple of 2. Byte offsets.
  (func (export "adam")
    (param $ids i32) (param $n i32) (param $grads i32) (param $d i32) (param $w i32) (param $mv i32)
    (param $lr f64) (param $b1 f64) (param $b2 f64) (param $a1 f64) (param $a2 f64) (param $eps f64)
    (result i32)
    (local $i i32) (local $k i32) (local $rowBytes i32) (local $wp i32) (local $mp i32) (local $gp i32)
    (local $j i32) (local $jEnd i32) (local $id i32) (local $touched i32)
    (local $g v128) (local $m v128) (local $v v128) (local $x v128)
    (local $vlr v128) (local $vb1 v128) (local $vb2 v128) (local $va1 v128) (local $va2 v128) (local $veps v128)
    (local.set $vlr (f64x2.splat (local.get $lr)))
    (local.set $vb1 (f64x2.splat (local.get $b1)))
    (local.set $vb2 (f64x2.splat (local.get $b2)))
    (local.set $va1 (f64x2.splat (local.get $a1)))
    (local.set $va2 (f64x2.splat (local.get $a2)))
    (local.set $veps (f64x2.splat (local.get $eps)))
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        ;; Every 32 rows, read one word of each of the next 32 rows' weights, m and v
        ;; (rows i + 32 … i + 63): in a large table each row is a cache and TLB miss,
        ;; and these loads, independent of one another, wait for memory together instead of one
        ;; row after another. The words read only feed $touched, the function's result. (Groups
        ;; of 32 rather than 8: a touch load holds up the loop until it completes, so fewer,
        ;; larger groups wait fewer times; docs/performance.md#training.)
        (if (i32.eqz (i32.and (local.get $i) (i32.const 31)))
          (then
            (local.set $j (i32.add (local.get $i) (i32.const 32)))
            (local.set $jEnd (i32.add (local.get $i) (i32.const 64)))
            (if (i32.gt_u (local.get $jEnd) (local.get $n)) (then (local.set $jEnd (local.get $n))))
            (block $touchDone
              (loop $touch
                (br_if $touchDone (i32.ge_u (local.get $j) (local.get $jEnd)))
                (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $touched (i32.xor (local.get $touched)
                  (i32.xor
                    (i32.load (i32.add (local.get $w) (i32.mul (local.get $id) (local.get $rowBytes))))
                    (i32.xor
                      (i32.load (i32.add (local.get $mv)
                        (i32.mul (local.get $id) (i32.shl (local.get $rowBytes) (i32.const 1)))))
                      (i32.load (i32.add (i32.add (local.get $mv) (local.get $rowBytes))
                        (i32.mul (local.get $id) (i32.shl (local.get $rowBytes) (i32.const 1)))))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $touch)))))
        (local.set $wp (i32.add (local.get $w)
          (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2))))
                   (local.get $rowBytes))))
        (local.set $mp (i32.add (local.get $mv)
          (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2))))
                   (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (local.set $gp (i32.add (local.get $grads) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $k (i32.const 0))
        (loop $cols
          (local.set $g (f64x2.promote_low_f32x4
            (v128.load64_zero align=4 (i32.add (local.get $gp) (local.get $k)))))
          (local.set $m (f64x2.add
            (f64x2.mul (local.get $vb1) (f64x2.promote_low_f32x4
              (v128.load64_zero align=4 (i32.add (local.get $mp) (local.get $k)))))
            (f64x2.mul (local.get $va1) (local.get $g))))
          (local.set $v (f64x2.add
            (f64x2.mul (local.get $vb2) (f64x2.promote_low_f32x4
              (v128.load64_zero align=4
                (i32.add (i32.add (local.get $mp) (local.get $rowBytes)) (local.get $k)))))
            (f64x2.mul (f64x2.mul (local.get $va2) (local.get $g)) (local.get $g))))
          (v128.store64_lane align=4 0 (i32.add (local.get $mp) (local.get $k))
            (f32x4.demote_f64x2_zero (local.get $m)))
          (v128.store64_lane align=4 0
            (i32.add (i32.add (local.get $mp) (local.get $rowBytes)) (local.get $k))
            (f32x4.demote_f64x2_zero (local.get $v)))
          (local.set $x (f64x2.sub
            (f64x2.promote_low_f32x4
              (v128.load64_zero align=4 (i32.add (local.get $wp) (local.get $k))))
            (f64x2.div (f64x2.mul (local.get $vlr) (local.get $m))
                       (f64x2.add (f64x2.sqrt (local.get $v)) (local.get $veps)))))
          (v128.store64_lane align=4 0 (i32.add (local.get $wp) (local.get $k))
            (f32x4.demote_f64x2_zero (local.get $x)))
          (local.set $k (i32.add (local.get $k) (i32.const 8)))
          (br_if $cols (i32.lt_u (local.get $k) (local.get $rowBytes))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $touched))

  ;; spreadBags(slots, offsets, bags, d, gMean, out, shares): for b in [0, bags) with n =
  ;; offsets[b + 1] − offsets[b] > 0, share = float64(gMean[b]) / n (float64, into shares [d]),
  ;; and for each i in offsets[b] … offsets[b + 1]: out[slots[i]] = float32(out[slots[i]] +
  ;; share). gMean [bags × d] and out [· × d] f32, d a positive multiple of 2. Byte offsets.
  (func (export "spreadBags")
    (param $slots i32) (param $offsets i32) (param $bags i32) (param $d i32) (param $gMean i32) (param $out i32)
    (param $shares i32)
    (local $b i32) (local $i i32) (local $end i32) (local $k i32) (local $rowBytes i32)
    (local $gp i32) (local $op i32) (local $n v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $bagsDone
      (loop $bagsLoop
        (br_if $bagsDone (i32.ge_u (local.get $b) (local.get $bags)))
        (local.set $i (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $offsets)
          (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
        (if (i32.lt_s (local.get $i) (local.get $end))
          (then
            (local.set $n (f64x2.splat (f64.convert_i32_s (i32.sub (local.get $end) (local.get $i)))))
            (local.set $gp (i32.add (local.get $gMean) (i32.mul (local.get $b) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (loop $divide
              (v128.store (i32.add (local.get $shares) (i32.shl (local.get $k) (i32.const 1)))
                (f64x2.div
                  (f64x2.promote_low_f32x4
                    (v128.load64_zero align=4 (i32.add (local.get $gp) (local.get $k))))
                  (local.get $n)))
              (local.set $k (i32.add (local.get $k) (i32.const 8)))
              (br_if $divide (i32.lt_u (local.get $k) (local.get $rowBytes))))
            (block $idsDone
              (loop $idsLoop
                (br_if $idsDone (i32.ge_s (local.get $i) (local.get $end)))
                (local.set $op (i32.add (local.get $out)
                  (i32.mul (i32.load (i32.add (local.get $slots) (i32.shl (local.get $i) (i32.const 2))))
                           (local.get $rowBytes))))
                (local.set $k (i32.const 0))
                (loop $cols
                  (v128.store64_lane align=4 0 (i32.add (local.get $op) (local.get $k))
                    (f32x4.demote_f64x2_zero (f64x2.add
                      (f64x2.promote_low_f32x4
                        (v128.load64_zero align=4 (i32.add (local.get $op) (local.get $k))))
                      (v128.load align=8
                        (i32.add (local.get $shares) (i32.shl (local.get $k) (i32.const 1)))))))
                  (local.set $k (i32.add (local.get $k) (i32.const 8)))
                  (br_if $cols (i32.lt_u (local.get $k) (local.get $rowBytes))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $idsLoop)))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bagsLoop))))

  ;; sortSlots(ids, n, rows, db, passes, count, order, spare, sorted, slots): numbers the
  ;; distinct values of ids[0 … n) (i32, each in [0, rows)) in ascending order: sorted[0 … size)
  ;; gets those values and slots[i] the number of ids[i]; returns size, or −1 (nothing written to
  ;; sorted or slots) when an id is outside [0, rows). An LSD radix sort of the positions 0 … n − 1
  ;; by id, `passes` passes of `db` bits (db·passes ≥ the bits of rows − 1): count [2^db] i32,
  ;; order and spare [n] i32 are scratch. Byte offsets.
  (func (export "sortSlots")
    (param $ids i32) (param $n i32) (param $rows i32) (param $db i32) (param $passes i32)
    (param $count i32) (param $order i32) (param $spare i32) (param $sorted i32) (param $slots i32)
    (result i32)
    (local $i i32) (local $p i32) (local $shift i32) (local $mask i32) (local $radix i32)
    (local $src i32) (local $dst i32) (local $t i32) (local $e i32) (local $key i32) (local $at i32)
    (local $c i32) (local $size i32) (local $prev i32) (local $id i32)
    ;; Every id in [0, rows).
    (local.set $i (i32.const 0))
    (block $checked
      (loop $check
        (br_if $checked (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.ge_u (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2))))
                      (local.get $rows))
          (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $check)))
    ;; order = 0 … n − 1.
    (local.set $i (i32.const 0))
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $radix (i32.shl (i32.const 1) (local.get $db)))
    (local.set $mask (i32.sub (local.get $radix) (i32.const 1)))
    (local.set $src (local.get $order))
    (local.set $dst (local.get $spare))
    (local.set $p (i32.const 0))
    (block $passesDone
      (loop $pass
        (br_if $passesDone (i32.ge_u (local.get $p) (local.get $passes)))
        (local.set $shift (i32.mul (local.get $p) (local.get $db)))
        (local.set $i (i32.const 0))
        (loop $zero
          (i32.store (i32.add (local.get $count) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $zero (i32.lt_u (local.get $i) (local.get $radix))))
        (local.set $i (i32.const 0))
        (block $counted
          (loop $countLoop
            (br_if $counted (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $e (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $key (i32.add (local.get $count) (i32.shl
              (i32.and (i32.shr_u (i32.load (i32.add (local.get $ids) (i32.shl (local.get $e) (i32.const 2))))
                                  (local.get $shift))
                       (local.get $mask))
              (i32.const 2))))
            (i32.store (local.get $key) (i32.add (i32.load (local.get $key)) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $countLoop)))
        ;; Exclusive prefix sums: count[r] = where digit r's entries start.
        (local.set $at (i32.const 0))
        (local.set $i (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_u (local.get $i) (local.get $radix)))
            (local.set $key (i32.add (local.get $count) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $c (i32.load (local.get $key)))
            (i32.store (local.get $key) (local.get $at))
            (local.set $at (i32.add (local.get $at) (local.get $c)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sum)))
        (local.set $i (i32.const 0))
        (block $scattered
          (loop $scatter
            (br_if $scattered (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $e (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $key (i32.add (local.get $count) (i32.shl
              (i32.and (i32.shr_u (i32.load (i32.add (local.get $ids) (i32.shl (local.get $e) (i32.const 2))))
                                  (local.get $shift))
                       (local.get $mask))
              (i32.const 2))))
            (local.set $at (i32.load (local.get $key)))
            (i32.store (local.get $key) (i32.add (local.get $at) (i32.const 1)))
            (i32.store (i32.add (local.get $dst) (i32.shl (local.get $at) (i32.const 2))) (local.get $e))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scatter)))
        (local.set $t (local.get $src))
        (local.set $src (local.get $dst))
        (local.set $dst (local.get $t))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pass)))
    ;; Walk the positions in id order: a new id opens the next slot.
    (local.set $size (i32.const 0))
    (local.set $prev (i32.const -1))
    (local.set $i (i32.const 0))
    (block $walked
      (loop $walk
        (br_if $walked (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $e (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $e) (i32.const 2)))))
        (if (i32.ne (local.get $id) (local.get $prev))
          (then
            (i32.store (i32.add (local.get $sorted) (i32.shl (local.get $size) (i32.const 2))) (local.get $id))
            (local.set $size (i32.add (local.get $size) (i32.const 1)))
            (local.set $prev (local.get $id))))
        (i32.store (i32.add (local.get $slots) (i32.shl (local.get $e) (i32.const 2)))
          (i32.sub (local.get $size) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $walk)))
    (local.get $size))

  ;; bagMean(ids, offsets, bags, d, w, out): for b in [0, bags), out[b] [d] f32 = the average of
  ;; rows ids[offsets[b] … offsets[b + 1]) of the weights at w [rows × d] (0 for an empty bag).
  ;; d a positive multiple of 4. Byte offsets.
  (func (export "bagMean")
    (param $ids i32) (param $offsets i32) (param $bags i32) (param $d i32) (param $w i32) (param $out i32)
    (result i32)
    (local $b i32) (local $i i32) (local $end i32) (local $k i32) (local $rowBytes i32)
    (local $op i32) (local $rp i32) (local $count v128)
    (local $j i32) (local $jEnd i32) (local $total i32) (local $touched i32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $total (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $bags) (i32.const 2)))))
    (local.set $b (i32.const 0))
    (block $bagsDone
      (loop $bagsLoop
        (br_if $bagsDone (i32.ge_u (local.get $b) (local.get $bags)))
        (local.set $op (i32.add (local.get $out) (i32.mul (local.get $b) (local.get $rowBytes))))
        (local.set $k (i32.const 0))
        (loop $zero
          (v128.store (i32.add (local.get $op) (local.get $k)) (v128.const i32x4 0 0 0 0))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $zero (i32.lt_u (local.get $k) (local.get $rowBytes))))
        (local.set $i (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $offsets)
          (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
        (if (i32.lt_s (local.get $i) (local.get $end))
          (then
            (local.set $count (f32x4.splat (f32.convert_i32_s (i32.sub (local.get $end) (local.get $i)))))
            (block $idsDone
              (loop $idsLoop
                (br_if $idsDone (i32.ge_s (local.get $i) (local.get $end)))
                ;; Every 8 ids (counted over all bags), one word of each of the next 8 ids' rows,
                ;; as in adam: their misses overlap. The words only feed the result.
                (if (i32.eqz (i32.and (local.get $i) (i32.const 7)))
                  (then
                    (local.set $j (i32.add (local.get $i) (i32.const 8)))
                    (local.set $jEnd (i32.add (local.get $i) (i32.const 16)))
                    (if (i32.gt_s (local.get $jEnd) (local.get $total))
                      (then (local.set $jEnd (local.get $total))))
                    (block $touchDone
                      (loop $touch
                        (br_if $touchDone (i32.ge_s (local.get $j) (local.get $jEnd)))
                        (local.set $touched (i32.xor (local.get $touched)
                          (i32.load (i32.add (local.get $w)
                            (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $j) (i32.const 2))))
                                     (local.get $rowBytes))))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $touch)))))
                (local.set $rp (i32.add (local.get $w)
                  (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2))))
                           (local.get $rowBytes))))
                (local.set $k (i32.const 0))
                (loop $cols
                  (v128.store (i32.add (local.get $op) (local.get $k))
                    (f32x4.add (v128.load (i32.add (local.get $op) (local.get $k)))
                               (v128.load (i32.add (local.get $rp) (local.get $k)))))
                  (local.set $k (i32.add (local.get $k) (i32.const 16)))
                  (br_if $cols (i32.lt_u (local.get $k) (local.get $rowBytes))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $idsLoop)))
            (local.set $k (i32.const 0))
            (loop $div
              (v128.store (i32.add (local.get $op) (local.get $k))
                (f32x4.div (v128.load (i32.add (local.get $op) (local.get $k))) (local.get $count)))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $div (i32.lt_u (local.get $k) (local.get $rowBytes))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bagsLoop)))
    (local.get $touched)))
