//! One block's coefficients, Huffman-decoded and dequantised into a compact layout that
//! keeps only the rows and columns an IDCT reads (the rest go to a dump slot nothing reads).

use super::huffman::{Bits, Huffman};

/// Zigzag order to natural (row-major) order.
pub(super) const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// A compact block layout: the natural rows (and the same columns) kept, `W` of them, in
/// `N = W * W + 1` slots, the last of which ([`Layout::DUMP`]) takes every coefficient not
/// kept.
pub(super) struct Layout<const W: usize, const N: usize> {
    /// The slot of the coefficient at each zigzag position.
    pub slot: [u8; 64],
    /// Where the rows the 2 x 2 IDCT reads (0, 1, 3, 5, 7) are.
    pub reduced: [usize; 5],
}

impl<const W: usize, const N: usize> Layout<W, N> {
    pub const DUMP: usize = N - 1;
    /// Whether this is the [`HALF`] layout.
    pub const IS_HALF: bool = W == 7 && N == 50;

    const fn new(kept: [usize; W]) -> Self {
        let mut slot = [(N - 1) as u8; 64];
        let mut k = 0;
        while k < 64 {
            let n = ZIGZAG[k] as usize;
            let (r, c) = (n / 8, n % 8);
            let mut ri = 0;
            while ri < W {
                let mut ci = 0;
                while ci < W {
                    if kept[ri] == r && kept[ci] == c {
                        slot[k] = (ri * W + ci) as u8;
                    }
                    ci += 1;
                }
                ri += 1;
            }
            k += 1;
        }
        let wanted = [0, 1, 3, 5, 7];
        let mut reduced = [0; 5];
        let mut i = 0;
        while i < 5 {
            let mut ri = 0;
            while ri < W {
                if kept[ri] == wanted[i] {
                    reduced[i] = ri;
                }
                ri += 1;
            }
            i += 1;
        }
        Layout { slot, reduced }
    }
}

/// What the 2 x 2 IDCT reads (it skips rows and columns 2, 4 and 6): 5 x 5.
pub(super) const QUARTER: Layout<5, 26> = Layout::new([0, 1, 3, 5, 7]);
/// What the 1/2-scale IDCT reads (every row and column but 4): 7 x 7, frequencies 7, 6, 5
/// three places after 1, 2, 3, which they fold onto.
pub(super) const HALF: Layout<7, 50> = Layout::new([0, 1, 2, 3, 7, 6, 5]);

/// One block's Huffman-coded coefficients, dequantised, in `layout` (its dump slot cleared),
/// and the zigzag position after the last one coded (1: the DC alone).
#[inline(always)]
pub(super) fn block<const W: usize, const N: usize>(
    bits: &mut Bits,
    dc: &Huffman,
    ac: &Huffman,
    q: &[i32; N],
    pred: &mut i32,
    layout: &Layout<W, N>,
) -> Option<([i32; N], usize)> {
    let mut coef = [0i32; N];
    bits.ensure();
    let s = bits.symbol(dc)?;
    // 8-bit samples have DC differences of at most 11 bits.
    if s > 11 {
        return None;
    }
    let diff = bits.extra(u32::from(s));
    *pred = pred.checked_add(diff)?;
    // libjpeg keeps coefficients as 16 bits.
    coef[0] = i32::from(*pred as i16).wrapping_mul(q[0]);
    let mut k = 1usize;
    // A refill leaves at least 56 bits: two short codes with their extra bits (at most
    // LOOK = 11 each) and then any code with its extra bits (at most 16 + 10) fit in them.
    while k < 64 {
        bits.refill();
        match ac_step(bits, ac, q, &mut coef, &mut k, &layout.slot)? {
            Step::End => break,
            Step::Long => continue,
            Step::Short if k >= 64 => break,
            Step::Short => {}
        }
        match ac_step(bits, ac, q, &mut coef, &mut k, &layout.slot)? {
            Step::End => break,
            Step::Long => continue,
            Step::Short if k >= 64 => break,
            Step::Short => {}
        }
        if ac_step(bits, ac, q, &mut coef, &mut k, &layout.slot)? == Step::End {
            break;
        }
    }
    if k > 64 {
        return None;
    }
    coef[Layout::<W, N>::DUMP] = 0;
    Some((coef, k))
}

/// What one AC step decoded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// End of block.
    End,
    /// A coefficient or zero run that took at most [`super::huffman::LOOK`] bits.
    Short,
    /// One that took more.
    Long,
}

/// Decode one AC symbol (and its extra bits) into `coef`, advancing `k`.
#[inline(always)]
fn ac_step<const N: usize>(
    bits: &mut Bits,
    ac: &Huffman,
    q: &[i32; N],
    coef: &mut [i32; N],
    k: &mut usize,
    slots: &[u8; 64],
) -> Option<Step> {
    let f = ac.fast[bits.peek()];
    if f != 0 {
        bits.consume((f & 255) as u32);
        let v = f >> 16;
        if v == 0 {
            return Some(Step::End);
        }
        *k += ((f >> 8) & 255) as usize;
        let slot = usize::from(*slots.get(*k)?);
        coef[slot] = v.wrapping_mul(q[slot]);
        *k += 1;
        return Some(Step::Short);
    }
    let rs = bits.symbol(ac)?;
    let (r, s) = (usize::from(rs >> 4), u32::from(rs & 15));
    // 8-bit samples have AC coefficients of at most 10 bits: more would overrun the bits a
    // refill guarantees.
    if s > 10 {
        return None;
    }
    if s == 0 {
        if r != 15 {
            return Some(Step::End);
        }
        *k += 16;
        return Some(Step::Long);
    }
    *k += r;
    let v = bits.extra(s);
    let slot = usize::from(*slots.get(*k)?);
    coef[slot] = v.wrapping_mul(q[slot]);
    *k += 1;
    Some(Step::Long)
}
