//! A baseline JPEG decoded at 1/4 scale straight into the analysis planes: the luma through
//! libjpeg's reduced 2 x 2 IDCT (`jpeg_idct_2x2`, the same integer arithmetic, so the Y plane
//! equals libjpeg's 1/4 decode sample for sample), and the chroma through the same IDCT at its
//! own blocks' size (1/8 of the photo for 4:2:0) as the card finder's opponent planes. No
//! other sample is reconstructed.
//!
//! At 1/4 scale the decode is mostly Huffman decoding, and that is where this path differs:
//! bits are refilled eight bytes at a time (a byte-stuffed 0xFF takes the slow path), the
//! coefficients the 2 x 2 IDCT never reads are skipped without being stored, and only those
//! it reads are cleared between blocks. Anything it does not handle (progressive or
//! arithmetic coding, 12-bit samples, more than one scan, unusual sampling, a corrupt
//! stream) gives `None`, and the caller decodes with libjpeg as before.

use super::analysis::dct_scale;
use super::chroma::Chroma;
use super::gray::Gray;

/// The luma (Y) plane of a 1/4-scale decode and, when asked for, the opponent chroma planes
/// (see [`Chroma`]) at the chroma blocks' 2 x 2 scale (1/8 of the photo for 4:2:0).
pub struct Quarter {
    pub y: Gray,
    pub chroma: Option<Chroma>,
    /// Stored full-resolution width and height.
    pub full_width: usize,
    pub full_height: usize,
}

/// Decode `bytes` at 1/4 scale when that is the DCT scale for a long side of at least
/// `min_long` ([`dct_scale`]), with the chroma when `chroma` and the photo has colour; `None`
/// when this path does not handle the file.
pub fn decode(bytes: &[u8], min_long: usize, chroma: bool) -> Option<Quarter> {
    let frame = Frame::parse(bytes)?;
    if dct_scale(frame.width.max(frame.height), min_long) != 2 {
        return None;
    }
    frame.decode(bytes, chroma)
}

/// Decode `bytes` at 1/4 scale whatever its size (for the tests against libjpeg's 1/4 decode,
/// the decode benchmark and the fuzz target).
pub fn decode_any(bytes: &[u8]) -> Option<Quarter> {
    Frame::parse(bytes)?.decode(bytes, true)
}

/// Zigzag order to natural (row-major) order.
const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// The rows and columns the 2 x 2 IDCT reads (it skips 2, 4 and 6).
const USED: [usize; 5] = [0, 1, 3, 5, 7];

/// Slot of the coefficient at zigzag position `k` in the compact 5 x 5 block, or
/// [`DUMP`] when the 2 x 2 IDCT never reads it.
const DUMP: u8 = 25;

const fn slots() -> [u8; 64] {
    let mut out = [DUMP; 64];
    let mut k = 0;
    while k < 64 {
        let n = ZIGZAG[k] as usize;
        let (r, c) = (n / 8, n % 8);
        let mut ri = 0;
        while ri < 5 {
            let mut ci = 0;
            while ci < 5 {
                if USED[ri] == r && USED[ci] == c {
                    out[k] = (ri * 5 + ci) as u8;
                }
                ci += 1;
            }
            ri += 1;
        }
        k += 1;
    }
    out
}

const SLOT: [u8; 64] = slots();

/// Bits of the Huffman lookup table.
const LOOK: u32 = 11;

/// A Huffman table: one lookup for codes of at most [`LOOK`] bits, canonical ranges for the
/// longer ones.
struct Huffman {
    /// `len << 8 | symbol`, 0 for a code longer than [`LOOK`] bits.
    look: [u16; 1 << LOOK],
    /// For an AC table: a code and its extra bits decoded at once when together they take
    /// at most [`LOOK`] bits: `value << 16 | run << 8 | bits`, value 0 for end-of-block; 0
    /// when the long way is needed.
    fast: [i32; 1 << LOOK],
    /// Largest code of each length (-1 for none), lengths 1..=16.
    maxcode: [i32; 17],
    /// Index into `vals` of a length's first code, minus that code.
    offset: [i32; 17],
    vals: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8; 16], vals: &[u8]) -> Option<Huffman> {
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
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bits: u64,
    count: u32,
    /// Zero bits fed after a marker or the end of the data.
    padding: u32,
}

/// `n` (1..=16) extra bits `v` as the signed value they code (JPEG's EXTEND).
#[inline(always)]
fn extend(v: i32, n: u32) -> i32 {
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
    fn new(data: &'a [u8]) -> Bits<'a> {
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
    fn ensure(&mut self) {
        if self.count < 32 {
            self.refill();
        }
    }

    /// At least 56 bits buffered.
    #[inline(always)]
    fn refill(&mut self) {
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
    fn consume(&mut self, n: u32) {
        self.bits <<= n;
        self.count -= n;
    }

    /// The next Huffman symbol (bits buffered by the caller), `None` for an invalid code.
    #[inline(always)]
    fn symbol(&mut self, h: &Huffman) -> Option<u8> {
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
    fn extra(&mut self, n: u32) -> i32 {
        if n == 0 {
            return 0;
        }
        let v = (self.bits >> (64 - n)) as i32;
        self.consume(n);
        extend(v, n)
    }

    /// The next [`LOOK`] bits, for a table lookup.
    #[inline(always)]
    fn peek(&self) -> usize {
        (self.bits >> (64 - LOOK)) as usize & ((1 << LOOK) - 1)
    }

    /// True when the data ran out: zero bits past a marker were decoded.
    fn overran(&self) -> bool {
        self.padding > self.count
    }

    /// At a restart marker `RSTn`: skip it and start afresh.
    #[inline(never)]
    fn restart(mut self, n: u8) -> Option<Self> {
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

/// One component of the frame.
#[derive(Clone)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    /// Quantisation table slot.
    tq: usize,
    /// Huffman table slots (DC, AC), from the scan.
    td: usize,
    ta: usize,
}

/// The frame header and tables up to the (single) scan.
struct Frame {
    width: usize,
    height: usize,
    comps: Vec<Component>,
    /// Quantisation tables in zigzag order.
    quant: [Option<[u16; 64]>; 4],
    dc: [Option<Huffman>; 4],
    ac: [Option<Huffman>; 4],
    restart: usize,
    /// Offset of the entropy-coded data.
    scan: usize,
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(*b.get(at)?) << 8 | usize::from(*b.get(at + 1)?))
}

impl Frame {
    fn parse(b: &[u8]) -> Option<Frame> {
        if b.get(..2)? != [0xFF, 0xD8] {
            return None;
        }
        let mut f = Frame {
            width: 0,
            height: 0,
            comps: Vec::new(),
            quant: [None; 4],
            dc: [None, None, None, None],
            ac: [None, None, None, None],
            restart: 0,
            scan: 0,
        };
        let mut at = 2;
        loop {
            if *b.get(at)? != 0xFF {
                return None;
            }
            while *b.get(at + 1)? == 0xFF {
                at += 1;
            }
            let marker = *b.get(at + 1)?;
            let len = be16(b, at + 2)?;
            if len < 2 {
                return None;
            }
            let seg = b.get(at + 4..at + 2 + len)?;
            match marker {
                0xC0 | 0xC1 => f.sof(seg)?,
                // Other frame types (progressive, lossless, arithmetic, ...).
                0xC2..=0xCF if marker != 0xC4 && marker != 0xC8 && marker != 0xCC => return None,
                0xC4 => f.dht(seg)?,
                0xDB => f.dqt(seg)?,
                0xDD => f.restart = be16(seg, 0)?,
                0xDA => {
                    f.sos(seg)?;
                    f.scan = at + 2 + len;
                    return Some(f);
                }
                0xD8 | 0xD9 | 0xD0..=0xD7 | 0x01 => return None,
                _ => {}
            }
            at += 2 + len;
        }
    }

    fn sof(&mut self, s: &[u8]) -> Option<()> {
        if *s.first()? != 8 || !self.comps.is_empty() {
            return None;
        }
        self.height = be16(s, 1)?;
        self.width = be16(s, 3)?;
        let n = usize::from(*s.get(5)?);
        let pixels = (self.width as u64) * (self.height as u64);
        if pixels == 0 || pixels > crate::photo::MAX_PIXELS || !(n == 1 || n == 3) {
            return None;
        }
        for i in 0..n {
            let c = s.get(6 + 3 * i..9 + 3 * i)?;
            self.comps.push(Component {
                id: c[0],
                h: usize::from(c[1] >> 4),
                v: usize::from(c[1] & 15),
                tq: usize::from(c[2]),
                td: 0,
                ta: 0,
            });
        }
        if n == 1 {
            // A single component's scan is not interleaved: one block per MCU.
            self.comps[0].h = 1;
            self.comps[0].v = 1;
        } else {
            let (y, chroma) = (&self.comps[0], &self.comps[1..]);
            if !(1..=2).contains(&y.h)
                || !(1..=2).contains(&y.v)
                || chroma.iter().any(|c| c.h != 1 || c.v != 1)
            {
                return None;
            }
        }
        if self.comps.iter().any(|c| c.tq > 3) {
            return None;
        }
        Some(())
    }

    fn dht(&mut self, mut s: &[u8]) -> Option<()> {
        while !s.is_empty() {
            let tc = *s.first()?;
            let counts: &[u8; 16] = s.get(1..17)?.try_into().ok()?;
            let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
            let vals = s.get(17..17 + total)?;
            let h = Huffman::new(counts, vals)?;
            let slot = usize::from(tc & 15);
            match (tc >> 4, slot) {
                (0, 0..=3) => self.dc[slot] = Some(h),
                (1, 0..=3) => self.ac[slot] = Some(h),
                _ => return None,
            }
            s = s.get(17 + total..)?;
        }
        Some(())
    }

    fn dqt(&mut self, mut s: &[u8]) -> Option<()> {
        while !s.is_empty() {
            let pq = *s.first()? >> 4;
            let slot = usize::from(*s.first()? & 15);
            let mut q = [0u16; 64];
            let size = if pq == 0 { 64 } else { 128 };
            let t = s.get(1..1 + size)?;
            for (k, q) in q.iter_mut().enumerate() {
                *q = if pq == 0 {
                    u16::from(t[k])
                } else {
                    u16::from(t[2 * k]) << 8 | u16::from(t[2 * k + 1])
                };
            }
            *self.quant.get_mut(slot)? = Some(q);
            s = s.get(1 + size..)?;
        }
        Some(())
    }

    fn sos(&mut self, s: &[u8]) -> Option<()> {
        let n = usize::from(*s.first()?);
        if n != self.comps.len() {
            return None;
        }
        for i in 0..n {
            let c = s.get(1 + 2 * i..3 + 2 * i)?;
            let comp = self.comps.get_mut(i)?;
            if comp.id != c[0] {
                return None;
            }
            comp.td = usize::from(c[1] >> 4);
            comp.ta = usize::from(c[1] & 15);
            if comp.td > 3 || comp.ta > 3 {
                return None;
            }
        }
        // Baseline: the whole spectrum, no successive approximation.
        if s.get(1 + 2 * n..4 + 2 * n)? != [0, 63, 0] {
            return None;
        }
        Some(())
    }

    fn decode(&self, bytes: &[u8], with_chroma: bool) -> Option<Quarter> {
        let y = self.comps.first()?;
        let (mcu_w, mcu_h) = (8 * y.h, 8 * y.v);
        let mcus_x = self.width.div_ceil(mcu_w);
        let mcus_y = self.height.div_ceil(mcu_h);
        let mut planes: Vec<Plane> = Vec::with_capacity(self.comps.len());
        let mut tables = Vec::with_capacity(self.comps.len());
        for c in &self.comps {
            let q = self.quant[c.tq].as_ref()?;
            let mut compact = [0i32; 26];
            for (k, &slot) in SLOT.iter().enumerate() {
                if slot != DUMP {
                    compact[usize::from(slot)] = i32::from(q[k]);
                }
            }
            tables.push((self.dc[c.td].as_ref()?, self.ac[c.ta].as_ref()?, compact));
            let keep = with_chroma || planes.is_empty();
            planes.push(if keep {
                Plane::new(2 * c.h * mcus_x, 2 * c.v * mcus_y)
            } else {
                Plane::new(0, 0)
            });
        }
        let mut bits = Bits::new(bytes.get(self.scan..)?);
        let mut pred = vec![0i32; self.comps.len()];
        let total = mcus_x.checked_mul(mcus_y)?;
        let mut next_rst = 0u8;
        for m in 0..total {
            if self.restart > 0 && m > 0 && m % self.restart == 0 {
                if bits.overran() {
                    return None;
                }
                bits = bits.restart(next_rst)?;
                next_rst = (next_rst + 1) & 7;
                pred.iter_mut().for_each(|p| *p = 0);
            }
            let (mx, my) = (m % mcus_x, m / mcus_x);
            // A stream that ran out is given up at once, not decoded as zeros to the end.
            if mx == 0 && bits.overran() {
                return None;
            }
            for (ci, c) in self.comps.iter().enumerate() {
                let (dc, ac, q) = &tables[ci];
                for by in 0..c.v {
                    for bx in 0..c.h {
                        let coef = block(&mut bits, dc, ac, q, &mut pred[ci])?;
                        if ci == 0 || with_chroma {
                            let out = idct_2x2(&coef);
                            planes[ci].put(2 * (mx * c.h + bx), 2 * (my * c.v + by), out);
                        }
                    }
                }
            }
        }
        if bits.overran() {
            return None;
        }
        // Crop to libjpeg's 1/4 output size (and the chroma to its share of it).
        let (ow, oh) = (self.width.div_ceil(4), self.height.div_ceil(4));
        let mut planes = planes.into_iter();
        let yp = planes.next()?.crop(ow, oh)?;
        let chroma = match (planes.next(), planes.next()) {
            (Some(cb), Some(cr)) if with_chroma => {
                let (cw, ch) = (self.width.div_ceil(4 * y.h), self.height.div_ceil(4 * y.v));
                Some(opponent(&cb.crop(cw, ch)?, &cr.crop(cw, ch)?))
            }
            _ => None,
        };
        Some(Quarter {
            y: yp,
            chroma,
            full_width: self.width,
            full_height: self.height,
        })
    }
}

/// A component's samples at 2 x 2 per block, whole blocks.
struct Plane {
    width: usize,
    data: Vec<u8>,
}

impl Plane {
    fn new(width: usize, height: usize) -> Plane {
        Plane {
            width,
            data: vec![0; width * height],
        }
    }

    #[inline(always)]
    fn put(&mut self, x: usize, y: usize, px: [u8; 4]) {
        let at = y * self.width + x;
        if let Some(r) = self.data.get_mut(at..at + 2) {
            r.copy_from_slice(&px[..2]);
        }
        let at = at + self.width;
        if let Some(r) = self.data.get_mut(at..at + 2) {
            r.copy_from_slice(&px[2..]);
        }
    }

    fn crop(self, w: usize, h: usize) -> Option<Gray> {
        if w > self.width || w * h > self.data.len() {
            return None;
        }
        let data = if w == self.width {
            let mut d = self.data;
            d.truncate(w * h);
            d
        } else {
            self.data
                .chunks_exact(self.width)
                .take(h)
                .flat_map(|r| &r[..w])
                .copied()
                .collect()
        };
        Some(Gray::new(w, h, data))
    }
}

/// The opponent planes of Cb and Cr.
fn opponent(cb: &Gray, cr: &Gray) -> Chroma {
    let (u, v): (Vec<u8>, Vec<u8>) = cb
        .data
        .iter()
        .zip(&cr.data)
        .map(|(&b, &r)| {
            let (b, r) = (i32::from(b), i32::from(r));
            (((b - r + 256) >> 1) as u8, ((b + r) >> 1) as u8)
        })
        .unzip();
    Chroma {
        u: Gray::new(cb.width, cb.height, u),
        v: Gray::new(cb.width, cb.height, v),
    }
}

/// One block's Huffman-coded coefficients, dequantised, in the compact 5 x 5 layout (slot
/// [`DUMP`] takes the ones the IDCT never reads).
#[inline(always)]
fn block(
    bits: &mut Bits,
    dc: &Huffman,
    ac: &Huffman,
    q: &[i32; 26],
    pred: &mut i32,
) -> Option<[i32; 26]> {
    let mut coef = [0i32; 26];
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
        match ac_step(bits, ac, q, &mut coef, &mut k)? {
            Step::End => break,
            Step::Long => continue,
            Step::Short if k >= 64 => break,
            Step::Short => {}
        }
        match ac_step(bits, ac, q, &mut coef, &mut k)? {
            Step::End => break,
            Step::Long => continue,
            Step::Short if k >= 64 => break,
            Step::Short => {}
        }
        if ac_step(bits, ac, q, &mut coef, &mut k)? == Step::End {
            break;
        }
    }
    if k > 64 {
        return None;
    }
    coef[usize::from(DUMP)] = 0;
    Some(coef)
}

/// What one AC step decoded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// End of block.
    End,
    /// A coefficient or zero run that took at most [`LOOK`] bits.
    Short,
    /// One that took more.
    Long,
}

/// Decode one AC symbol (and its extra bits) into `coef`, advancing `k`.
#[inline(always)]
fn ac_step(
    bits: &mut Bits,
    ac: &Huffman,
    q: &[i32; 26],
    coef: &mut [i32; 26],
    k: &mut usize,
) -> Option<Step> {
    let f = ac.fast[bits.peek()];
    if f != 0 {
        bits.consume((f & 255) as u32);
        let v = f >> 16;
        if v == 0 {
            return Some(Step::End);
        }
        *k += ((f >> 8) & 255) as usize;
        let slot = usize::from(*SLOT.get(*k)?);
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
    let slot = usize::from(*SLOT.get(*k)?);
    coef[slot] = v.wrapping_mul(q[slot]);
    *k += 1;
    Some(Step::Long)
}

/// libjpeg's sample range limit after an IDCT: `x + 128` clamped, wrapping as its table does
/// for far-out values.
#[inline(always)]
fn range_limit(x: i64) -> u8 {
    let i = (x & 1023) as i32;
    match i {
        0..128 => (i + 128) as u8,
        128..512 => 255,
        512..896 => 0,
        _ => (i - 896) as u8,
    }
}

#[inline(always)]
fn descale(x: i64, n: u32) -> i64 {
    (x + (1 << (n - 1))) >> n
}

const FIX_0_720959822: i64 = 5906;
const FIX_0_850430095: i64 = 6967;
const FIX_1_272758580: i64 = 10426;
const FIX_3_624509785: i64 = 29692;

/// libjpeg's `jpeg_idct_2x2` over the compact 5 x 5 coefficients: the 2 x 2 samples in
/// row-major order.
#[inline(always)]
fn idct_2x2(c: &[i32; 26]) -> [u8; 4] {
    // Pass 1: columns 0, 1, 3, 5 and 7 into two rows.
    let mut ws = [[0i32; 5]; 2];
    for col in 0..5 {
        let at = |r: usize| i64::from(c[r * 5 + col]);
        if at(1) == 0 && at(2) == 0 && at(3) == 0 && at(4) == 0 {
            let dc = (at(0) << 2) as i32;
            ws[0][col] = dc;
            ws[1][col] = dc;
            continue;
        }
        let tmp10 = at(0) << 15;
        let tmp0 = at(4) * -FIX_0_720959822
            + at(3) * FIX_0_850430095
            + at(2) * -FIX_1_272758580
            + at(1) * FIX_3_624509785;
        ws[0][col] = descale(tmp10 + tmp0, 13) as i32;
        ws[1][col] = descale(tmp10 - tmp0, 13) as i32;
    }
    // Pass 2: the two rows.
    let mut out = [0u8; 4];
    for (row, w) in ws.iter().enumerate() {
        let w = w.map(i64::from);
        if w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 {
            let dc = range_limit(descale(w[0], 5));
            out[2 * row] = dc;
            out[2 * row + 1] = dc;
            continue;
        }
        let tmp10 = w[0] << 15;
        let tmp0 = w[4] * -FIX_0_720959822
            + w[3] * FIX_0_850430095
            + w[2] * -FIX_1_272758580
            + w[1] * FIX_3_624509785;
        out[2 * row] = range_limit(descale(tmp10 + tmp0, 20));
        out[2 * row + 1] = range_limit(descale(tmp10 - tmp0, 20));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

    /// A photo-like RGB image: gradients, hard edges, fine texture and noise, so that the
    /// blocks carry coefficients of every size.
    fn photo(w: usize, h: usize) -> Vec<u8> {
        let mut seed = 0x2545_f491_u32;
        let mut noise = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 24) as i32 - 128
        };
        let mut out = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let edge = if (x / 37 + y / 23) % 2 == 0 { 70 } else { -50 };
                let stripes = if (x + 2 * y) % 5 < 2 { 40 } else { 0 };
                let base = [
                    (x * 255 / w) as i32,
                    (y * 255 / h) as i32,
                    ((x + y) * 255 / (w + h)) as i32,
                ];
                for (c, b) in base.iter().enumerate() {
                    let v = b + edge / (c as i32 + 1) + stripes + noise() / 6;
                    out.push(v.clamp(0, 255) as u8);
                }
            }
        }
        out
    }

    fn encode(
        data: &[u8],
        w: usize,
        h: usize,
        color: ColorType,
        sampling: SamplingFactor,
        restart: u16,
        quality: u8,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = Encoder::new(&mut out, quality);
        e.set_sampling_factor(sampling);
        e.set_restart_interval(restart);
        e.encode(data, w as u16, h as u16, color).expect("encodes");
        out
    }

    /// [`photo`] as a 4:2:0 JPEG at quality 90 with a restart marker every `restart` MCUs.
    fn photo_420(w: usize, h: usize, restart: u16) -> Vec<u8> {
        let rgb = photo(w, h);
        encode(
            &rgb,
            w,
            h,
            ColorType::Rgb,
            SamplingFactor::R_4_2_0,
            restart,
            90,
        )
    }

    /// Baseline with Huffman tables fitted to the image (codes up to 16 bits), in one
    /// interleaved scan, chroma `sub` x `sub` subsampled.
    fn encode_optimised(rgb: &[u8], w: usize, h: usize, sub: u8, quality: f32) -> Vec<u8> {
        let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
        c.set_fastest_defaults();
        c.set_optimize_coding(true);
        c.set_size(w, h);
        c.set_quality(quality);
        c.set_chroma_sampling_pixel_sizes((sub, sub), (sub, sub));
        let mut s = c.start_compress(Vec::new()).expect("starts");
        s.write_scanlines(rgb).expect("writes");
        s.finish().expect("finishes")
    }

    /// libjpeg's 1/4 decode of `bytes` in `space`: (width, height, samples).
    fn libjpeg(bytes: &[u8], space: mozjpeg::ColorSpace) -> (usize, usize, Vec<u8>) {
        let mut d = mozjpeg::Decompress::new_mem(bytes).expect("header");
        d.scale(2);
        d.do_fancy_upsampling(false);
        let mut s = d.to_colorspace(space).expect("starts");
        let (w, h) = (s.width(), s.height());
        let v: Vec<u8> = s.read_scanlines().expect("decodes");
        s.finish().expect("finishes");
        (w, h, v)
    }

    /// Largest and mean difference of an opponent plane against libjpeg's YCbCr at the luma
    /// size, averaged over the `fx` x `fy` pixels each chroma sample covers.
    fn chroma_error(
        plane: &Gray,
        ycc: &(usize, usize, Vec<u8>),
        fx: usize,
        fy: usize,
        u: bool,
    ) -> (i32, f64) {
        let (w, h, data) = ycc;
        let (mut worst, mut sum) = (0, 0i64);
        for y in 0..plane.height {
            for x in 0..plane.width {
                let (mut cb, mut cr, mut n) = (0i32, 0i32, 0i32);
                for yy in y * fy..((y + 1) * fy).min(*h) {
                    for xx in x * fx..((x + 1) * fx).min(*w) {
                        let p = &data[3 * (yy * w + xx)..];
                        cb += i32::from(p[1]);
                        cr += i32::from(p[2]);
                        n += 1;
                    }
                }
                let want = if u {
                    (cb - cr + 256 * n) / (2 * n)
                } else {
                    (cb + cr) / (2 * n)
                };
                let d = (i32::from(plane.data[y * plane.width + x]) - want).abs();
                worst = worst.max(d);
                sum += i64::from(d);
            }
        }
        (worst, sum as f64 / (plane.width * plane.height) as f64)
    }

    /// Y against libjpeg's gray 1/4 decode (equal), and the chroma against libjpeg's YCbCr
    /// 1/4 decode over the pixels each sample covers (`fx` x `fy`; equal at 1 x 1).
    fn check(bytes: &[u8], fx: usize, fy: usize, what: &str) {
        let q = decode_any(bytes).unwrap_or_else(|| panic!("{what}: decodes"));
        let gray = libjpeg(bytes, mozjpeg::ColorSpace::JCS_GRAYSCALE);
        assert_eq!((q.y.width, q.y.height), (gray.0, gray.1), "{what}");
        assert!(q.y.data == gray.2, "{what}: Y differs from libjpeg's");
        let ycc = libjpeg(bytes, mozjpeg::ColorSpace::JCS_YCbCr);
        let c = q.chroma.unwrap_or_else(|| panic!("{what}: chroma"));
        assert_eq!(
            (c.width(), c.height()),
            (gray.0.div_ceil(fx), gray.1.div_ceil(fy)),
            "{what}"
        );
        for (plane, u) in [(&c.u, true), (&c.v, false)] {
            let (worst, mean) = chroma_error(plane, &ycc, fx, fy, u);
            if fx * fy == 1 {
                assert_eq!(worst, 0, "{what}: full-size chroma is libjpeg's");
            } else {
                assert!(
                    worst <= 8 && mean < 0.5,
                    "{what}: chroma off by {worst} (mean {mean})"
                );
            }
        }
    }

    #[test]
    fn the_y_plane_is_libjpegs_quarter_decode_and_the_chroma_its_colour() {
        let cases = [
            (SamplingFactor::R_4_2_0, 2, 2),
            (SamplingFactor::R_4_2_2, 2, 1),
            (SamplingFactor::R_4_4_0, 1, 2),
            (SamplingFactor::R_4_4_4, 1, 1),
        ];
        for (w, h) in [(517, 389), (64, 48), (803, 1201)] {
            let rgb = photo(w, h);
            for (sampling, fx, fy) in cases {
                for (restart, quality) in [(0, 92), (3, 100), (1, 40)] {
                    let bytes = encode(&rgb, w, h, ColorType::Rgb, sampling, restart, quality);
                    check(
                        &bytes,
                        fx,
                        fy,
                        &format!("{w}x{h} {sampling:?} restart {restart} q{quality}"),
                    );
                }
            }
            for (sub, quality) in [(2, 100.0), (2, 60.0), (1, 97.0)] {
                let bytes = encode_optimised(&rgb, w, h, sub, quality);
                let sub = usize::from(sub);
                check(
                    &bytes,
                    sub,
                    sub,
                    &format!("{w}x{h} optimised {sub}x{sub} q{quality}"),
                );
            }
        }
    }

    #[test]
    fn a_gray_jpeg_gives_its_plane_and_no_chroma() {
        let (w, h) = (301, 211);
        let luma: Vec<u8> = photo(w, h).chunks_exact(3).map(|p| p[1]).collect();
        for restart in [0, 5] {
            let bytes = encode(
                &luma,
                w,
                h,
                ColorType::Luma,
                SamplingFactor::R_4_4_4,
                restart,
                90,
            );
            let q = decode_any(&bytes).expect("decodes");
            let gray = libjpeg(&bytes, mozjpeg::ColorSpace::JCS_GRAYSCALE);
            assert_eq!((q.y.width, q.y.height), (gray.0, gray.1));
            assert!(q.y.data == gray.2);
            assert!(q.chroma.is_none());
        }
    }

    #[test]
    fn only_the_quarter_scale_is_taken() {
        let bytes = photo_420(517, 389, 0);
        // 517 / 4 reaches 120 and 517 / 8 does not: 1/4 is the scale.
        assert!(decode(&bytes, 120, true).is_some());
        assert!(decode(&bytes, 60, true).is_none(), "1/8 is libjpeg's");
        assert!(decode(&bytes, 200, true).is_none(), "3/8 is libjpeg's");
        let q = decode(&bytes, 120, false).expect("decodes");
        assert!(q.chroma.is_none());
    }

    #[test]
    fn what_it_does_not_handle_is_left_to_libjpeg() {
        let (w, h) = (200, 150);
        let rgb = photo(w, h);
        let made = |set: &dyn Fn(&mut Encoder<&mut Vec<u8>>)| {
            let mut out = Vec::new();
            let mut e = Encoder::new(&mut out, 90);
            set(&mut e);
            e.encode(&rgb, w as u16, h as u16, ColorType::Rgb)
                .expect("encodes");
            out
        };
        let progressive = made(&|e| e.set_progressive(true));
        assert!(decode_any(&progressive).is_none(), "progressive");
        let wide = made(&|e| e.set_sampling_factor(SamplingFactor::R_4_1_1));
        assert!(decode_any(&wide).is_none(), "4:1:1");
        // Tables fitted per scan: one scan per component.
        let fitted = made(&|e| e.set_optimized_huffman_tables(true));
        assert!(decode_any(&fitted).is_none(), "one scan per component");
        assert!(decode_any(b"not a jpeg").is_none());
        assert!(decode_any(&[]).is_none());
    }

    #[test]
    fn a_cut_or_broken_stream_is_refused_not_guessed() {
        let bytes = photo_420(240, 180, 4);
        assert!(decode_any(&bytes).is_some());
        // Cut in the middle of the scan, closed with an end-of-image marker.
        let mut cut = bytes[..bytes.len() * 2 / 3].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        assert!(decode_any(&cut).is_none());
        // A restart marker out of sequence.
        let at = bytes
            .windows(2)
            .position(|p| p == [0xFF, 0xD0])
            .expect("a restart marker");
        let mut wrong = bytes.clone();
        wrong[at + 1] = 0xD3;
        assert!(decode_any(&wrong).is_none());
        // Every single byte of the scan flipped in turn: an answer or a refusal, never a
        // panic.
        let scan = Frame::parse(&bytes).expect("parses").scan;
        for i in (scan..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x5A;
            let _ = decode_any(&b);
        }
    }
}
