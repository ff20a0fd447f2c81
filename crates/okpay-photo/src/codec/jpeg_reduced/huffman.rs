//! The entropy-coded data of a baseline JPEG: Huffman tables with one lookup for short codes
//! (and an AC code with its extra bits at once), and the bit reader that refills eight bytes
//! at a time, taking the slow path only for a stuffed 0xFF, a marker or the end.

/// Bits of the Huffman lookup table.
pub(super) const LOOK: u32 = 11;

/// A Huffman table: one lookup for codes of at most [`LOOK`] bits, canonical ranges for the
/// longer ones.
pub(super) struct Huffman {
    /// `len << 8 | symbol`, 0 for a code longer than [`LOOK`] bits.
    pub(super) look: [u16; 1 << LOOK],
    /// For an AC table: a code and its extra bits decoded at once when together they take
    /// at most [`LOOK`] bits: `value << 16 | run << 8 | bits`, value 0 for end-of-block; 0
    /// when the long way is needed.
    pub(super) fast: [i32; 1 << LOOK],
    /// Largest code of each length (-1 for none), lengths 1..=16.
    pub(super) maxcode: [i32; 17],
    /// Index into `vals` of a length's first code, minus that code.
    pub(super) offset: [i32; 17],
    pub(super) vals: Vec<u8>,
}

impl Huffman {
    pub(super) fn new(counts: &[u8; 16], vals: &[u8]) -> Option<Huffman> {
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        if total > 256 || total != vals.len() {
            return None;
        }
        let mut look = [0u16; 1 << LOOK];
        let mut maxcode = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code = 0u32;
        let mut at = 0usize;
        for len in 1..=16u32 {
            let n = u32::from(counts[len as usize - 1]);
            if n > 0 {
                offset[len as usize] = at as i32 - code as i32;
                for _ in 0..n {
                    if code >= 1 << len {
                        return None;
                    }
                    if len <= LOOK {
                        let shift = LOOK - len;
                        let base = (code << shift) as usize;
                        let entry = (len as u16) << 8 | u16::from(*vals.get(at)?);
                        look.get_mut(base..base + (1 << shift))?.fill(entry);
                    }
                    code += 1;
                    at += 1;
                }
                maxcode[len as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        let mut fast = [0i32; 1 << LOOK];
        for (peek, f) in fast.iter_mut().enumerate() {
            let e = look[peek];
            let (len, rs) = (u32::from(e >> 8), e & 255);
            let (run, size) = (i32::from(rs >> 4), u32::from(rs & 15));
            if len == 0 || (size == 0 && run != 0) || len + size > LOOK {
                continue;
            }
            let value = if size == 0 {
                0
            } else {
                let v = ((peek as u32 >> (LOOK - len - size)) & ((1 << size) - 1)) as i32;
                extend(v, size)
            };
            *f = value << 16 | run << 8 | (len + size) as i32;
        }
        Some(Huffman {
            look,
            fast,
            maxcode,
            offset,
            vals: vals.to_vec(),
        })
    }
}

/// Big-endian bits of the entropy-coded data, byte stuffing removed, in the high end of a
/// 64-bit word. The slow paths take and give it by value, so the hot loop keeps it in
/// registers.
#[derive(Clone, Copy)]
pub(super) struct Bits<'a> {
    pub(super) data: &'a [u8],
    pub(super) pos: usize,
    pub(super) bits: u64,
    pub(super) count: u32,
    /// Zero bits fed after a marker or the end of the data.
    pub(super) padding: u32,
}

/// `n` (1..=16) extra bits `v` as the signed value they code (JPEG's EXTEND).
#[inline(always)]
pub(super) fn extend(v: i32, n: u32) -> i32 {
    if v < 1 << (n - 1) {
        v - (1 << n) + 1
    } else {
        v
    }
}

/// True when any byte of `w` is 0xFF.
fn has_ff(w: u64) -> bool {
    let x = !w;
    (x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080) != 0
}

impl<'a> Bits<'a> {
    pub(super) fn new(data: &'a [u8]) -> Bits<'a> {
        Bits {
            data,
            pos: 0,
            bits: 0,
            count: 0,
            padding: 0,
        }
    }

    /// At least 32 bits buffered: enough for a DC code and its extra bits (16 + 11).
    #[inline(always)]
    pub(super) fn ensure(&mut self) {
        if self.count < 32 {
            self.refill();
        }
    }

    /// At least 56 bits buffered.
    #[inline(always)]
    pub(super) fn refill(&mut self) {
        if let Some(w) = self.data.get(self.pos..).and_then(|d| d.first_chunk::<8>()) {
            let w = u64::from_be_bytes(*w);
            if !has_ff(w) {
                self.bits |= w >> self.count;
                self.pos += ((63 - self.count) >> 3) as usize;
                self.count |= 56;
                return;
            }
        }
        *self = self.refill_slow();
    }

    #[cold]
    #[inline(never)]
    fn refill_slow(mut self) -> Self {
        while self.count <= 56 {
            let byte = match self.data.get(self.pos) {
                Some(0xFF) => match self.data.get(self.pos + 1) {
                    Some(0x00) => {
                        self.pos += 2;
                        0xFF
                    }
                    // A marker (or the end): zeros from here on, the position stays.
                    _ => {
                        self.padding += 8;
                        0
                    }
                },
                Some(&b) => {
                    self.pos += 1;
                    b
                }
                None => {
                    self.padding += 8;
                    0
                }
            };
            self.bits |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
        self
    }

    #[inline(always)]
    pub(super) fn consume(&mut self, n: u32) {
        self.bits <<= n;
        self.count -= n;
    }

    /// The next Huffman symbol (bits buffered by the caller), `None` for an invalid code.
    #[inline(always)]
    pub(super) fn symbol(&mut self, h: &Huffman) -> Option<u8> {
        let e = h.look[self.peek()];
        if e != 0 {
            self.consume(u32::from(e >> 8));
            return Some(e as u8);
        }
        let (len, sym) = self.symbol_long(h)?;
        self.consume(len);
        Some(sym)
    }

    /// A code longer than [`LOOK`] bits: its length and symbol.
    #[cold]
    #[inline(never)]
    fn symbol_long(self, h: &Huffman) -> Option<(u32, u8)> {
        for len in LOOK + 1..=16 {
            let code = (self.bits >> (64 - len)) as i32;
            if code <= h.maxcode[len as usize] {
                let sym = h.vals.get((code + h.offset[len as usize]) as usize)?;
                return Some((len, *sym));
            }
        }
        None
    }

    /// The next `n` (<= 16) bits as extra bits of a coefficient ([`extend`]).
    #[inline(always)]
    pub(super) fn extra(&mut self, n: u32) -> i32 {
        if n == 0 {
            return 0;
        }
        let v = (self.bits >> (64 - n)) as i32;
        self.consume(n);
        extend(v, n)
    }

    /// The next [`LOOK`] bits, for a table lookup.
    #[inline(always)]
    pub(super) fn peek(&self) -> usize {
        (self.bits >> (64 - LOOK)) as usize & ((1 << LOOK) - 1)
    }

    /// True when the data ran out: zero bits past a marker were decoded.
    pub(super) fn overran(&self) -> bool {
        self.padding > self.count
    }

    /// At a restart marker `RSTn`: skip it and start afresh.
    #[inline(never)]
    pub(super) fn restart(mut self, n: u8) -> Option<Self> {
        // The buffered whole bytes came before the marker; the fill bits left are padding.
        let mut at = self.pos;
        while self.data.get(at) == Some(&0xFF) && self.data.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if self.data.get(at) != Some(&0xFF) || self.data.get(at + 1) != Some(&(0xD0 + n)) {
            return None;
        }
        self.pos = at + 2;
        self.bits = 0;
        self.count = 0;
        self.padding = 0;
        Some(self)
    }
}
