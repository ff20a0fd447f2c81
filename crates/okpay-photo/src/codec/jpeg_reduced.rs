//! The engine's own reduced-scale JPEG decoder, for a baseline file: at 1/4 straight into the
//! analysis planes (the luma through libjpeg's 2 x 2 IDCT, so the Y plane equals libjpeg's 1/4
//! decode sample for sample; the chroma at its blocks' scale), or for 4:2:0 at 1/2 into the Y,
//! Cb and Cr planes the upload is encoded from. Faster than libjpeg at these scales, where a
//! decode is mostly Huffman decoding (module `huffman`, `block`, `idct`). Anything else gives
//! `None` and the caller uses libjpeg.

use crate::raster::Plane;
use crate::raster::chroma::Chroma;
use block::{HALF, Layout, QUARTER, block};
use huffman::{Bits, Huffman};
use idct::{idct_2x2, idct_half};

mod block;
mod huffman;
mod idct;

/// The DCT scale (`n / 8`) a decode takes for a long side of `long` pixels: the smallest
/// whose long side still reaches `min_long`, or full size.
pub fn dct_scale(long: usize, min_long: usize) -> u8 {
    (1..=8u8)
        .find(|n| (long * usize::from(*n)).div_ceil(8) >= min_long)
        .unwrap_or(8)
}

/// The luma (Y) plane of a 1/4-scale decode and, when asked for, the opponent chroma planes
/// (see [`Chroma`]) at the chroma blocks' 2 x 2 scale (1/8 of the photo for 4:2:0).
pub struct Quarter {
    pub y: Plane,
    pub chroma: Option<Chroma>,
    /// Stored full-resolution width and height.
    pub full_width: usize,
    pub full_height: usize,
}

/// The 1/2-scale planes of a 4:2:0 photo (stored orientation): Y at 1/2 of the stored size
/// (libjpeg's 1/2 output size), Cb and Cr at half of that, rounded up.
pub struct Half {
    pub y: Plane,
    pub cb: Plane,
    pub cr: Plane,
}

/// Decode `bytes` at 1/4 scale when that is the DCT scale for a long side of at least
/// `min_long` ([`dct_scale`]), with the chroma when `chroma` and the photo has colour; `None`
/// when this path does not handle the file.
pub fn decode(bytes: &[u8], min_long: usize, chroma: bool) -> Option<Quarter> {
    let frame = Frame::parse(bytes)?;
    if dct_scale(frame.width.max(frame.height), min_long) != 2 {
        return None;
    }
    Some(frame.decode(bytes, chroma, &QUARTER)?.0)
}

/// The [`Half`] planes of a 4:2:0 colour photo whose DCT scale is 1/4 for `min_long` and 1/2
/// for `min_half_long`, and [`decode`]'s planes made from them: their 2 x 2 means (the luma
/// within a level or two of libjpeg's 1/4 decode, not equal to it). `None` otherwise.
pub fn decode_with_half(
    bytes: &[u8],
    min_long: usize,
    min_half_long: usize,
) -> Option<(Quarter, Half)> {
    let frame = Frame::parse(bytes)?;
    let long = frame.width.max(frame.height);
    if dct_scale(long, min_long) != 2 || dct_scale(long, min_half_long) != 4 {
        return None;
    }
    frame.decode_half(bytes)
}

/// Decode `bytes` at 1/4 scale whatever its size (for the tests against libjpeg's 1/4 decode,
/// the decode benchmark and the fuzz target).
pub fn decode_any(bytes: &[u8]) -> Option<Quarter> {
    Some(Frame::parse(bytes)?.decode(bytes, true, &QUARTER)?.0)
}

/// [`decode_with_half`] whatever the photo's size (tests, benchmark, fuzz target).
pub fn decode_any_with_half(bytes: &[u8]) -> Option<(Quarter, Half)> {
    Frame::parse(bytes)?.decode_half(bytes)
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
    /// A JFIF APP0 segment was seen.
    jfif: bool,
    /// The colour transform of an Adobe APP14 segment, if any.
    adobe: Option<u8>,
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
            jfif: false,
            adobe: None,
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
                0xE0 if seg.starts_with(b"JFIF\0") => f.jfif = true,
                0xEE if seg.starts_with(b"Adobe") => f.adobe = Some(*seg.get(11)?),
                0xDA => {
                    f.sos(seg)?;
                    if !f.ycbcr() {
                        return None;
                    }
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
        if pixels == 0 || pixels > super::format::MAX_PIXELS || !(n == 1 || n == 3) {
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

    /// Whether three components are Y, Cb and Cr, by libjpeg's rules (JFIF; else an Adobe
    /// transform; else not the component ids of RGB); one component is gray.
    fn ycbcr(&self) -> bool {
        if self.comps.len() != 3 || self.jfif {
            return true;
        }
        match self.adobe {
            Some(transform) => transform != 0,
            None => self.comps.iter().map(|c| c.id).ne([b'R', b'G', b'B']),
        }
    }

    /// The 1/4-scale decode with the [`Half`] planes, for 4:2:0 colour only.
    fn decode_half(&self, bytes: &[u8]) -> Option<(Quarter, Half)> {
        let y = self.comps.first()?;
        if self.comps.len() != 3 || y.h != 2 || y.v != 2 {
            return None;
        }
        let (q, half) = self.decode(bytes, true, &HALF)?;
        Some((q, half?))
    }

    /// The 1/4-scale decode in `layout`: with the [`Half`] planes when that is [`HALF`].
    fn decode<const W: usize, const N: usize>(
        &self,
        bytes: &[u8],
        with_chroma: bool,
        layout: &Layout<W, N>,
    ) -> Option<(Quarter, Option<Half>)> {
        let half = Layout::<W, N>::IS_HALF;
        let y = self.comps.first()?;
        let (mcu_w, mcu_h) = (8 * y.h, 8 * y.v);
        let mcus_x = self.width.div_ceil(mcu_w);
        let mcus_y = self.height.div_ceil(mcu_h);
        let mut planes: Vec<BlockPlane> = Vec::with_capacity(self.comps.len());
        let mut halves: Vec<BlockPlane> = Vec::with_capacity(self.comps.len());
        let mut tables = Vec::with_capacity(self.comps.len());
        for c in &self.comps {
            let q = self.quant[c.tq].as_ref()?;
            let mut compact = [0i32; N];
            for (k, &slot) in layout.slot.iter().enumerate() {
                if usize::from(slot) != Layout::<W, N>::DUMP {
                    compact[usize::from(slot)] = i32::from(q[k]);
                }
            }
            tables.push((self.dc[c.td].as_ref()?, self.ac[c.ta].as_ref()?, compact));
            let keep = !half && (with_chroma || planes.is_empty());
            planes.push(if keep {
                BlockPlane::new(2 * c.h * mcus_x, 2 * c.v * mcus_y)
            } else {
                BlockPlane::new(0, 0)
            });
            if half {
                halves.push(BlockPlane::new(4 * c.h * mcus_x, 4 * c.v * mcus_y));
            }
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
                        let (coef, end) = block(&mut bits, dc, ac, q, &mut pred[ci], layout)?;
                        let (x, y) = (mx * c.h + bx, my * c.v + by);
                        if half {
                            if let Some(p) = halves.get_mut(ci) {
                                p.put4(4 * x, 4 * y, idct_half(&coef, end));
                            }
                        } else if ci == 0 || with_chroma {
                            planes[ci].put(2 * x, 2 * y, idct_2x2(&coef, layout));
                        }
                    }
                }
            }
        }
        if bits.overran() {
            return None;
        }
        if half {
            return self.finish_halves(halves);
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
        let quarter = Quarter {
            y: yp,
            chroma,
            full_width: self.width,
            full_height: self.height,
        };
        Some((quarter, None))
    }

    /// The [`Half`] planes cropped to libjpeg's 1/2 output size (and the 4:2:0 chroma's share
    /// of it), and the 1/4-scale planes as their 2 x 2 means.
    fn finish_halves(&self, halves: Vec<BlockPlane>) -> Option<(Quarter, Option<Half>)> {
        let (hw, hh) = (self.width.div_ceil(2), self.height.div_ceil(2));
        let (cw, ch) = (hw.div_ceil(2), hh.div_ceil(2));
        let mut halves = halves.into_iter();
        let half = Half {
            y: halves.next()?.crop(hw, hh)?,
            cb: halves.next()?.crop(cw, ch)?,
            cr: halves.next()?.crop(cw, ch)?,
        };
        let halved = |g: &Plane| g.resize_area(g.width.div_ceil(2), g.height.div_ceil(2));
        let quarter = Quarter {
            y: halved(&half.y),
            chroma: Some(opponent(&halved(&half.cb), &halved(&half.cr))),
            full_width: self.width,
            full_height: self.height,
        };
        Some((quarter, Some(half)))
    }
}

/// A component's samples at 2 x 2 per block, whole blocks.
struct BlockPlane {
    width: usize,
    data: Vec<u8>,
}

impl BlockPlane {
    fn new(width: usize, height: usize) -> BlockPlane {
        BlockPlane {
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

    /// 4 x 4 samples (row-major) at `x`, `y`.
    #[inline(always)]
    fn put4(&mut self, x: usize, y: usize, px: [u8; 16]) {
        for (r, px) in px.chunks_exact(4).enumerate() {
            let at = (y + r) * self.width + x;
            if let Some(row) = self.data.get_mut(at..at + 4) {
                row.copy_from_slice(px);
            }
        }
    }

    fn crop(self, w: usize, h: usize) -> Option<Plane> {
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
        Some(Plane::new(w, h, data))
    }
}

/// The opponent planes of Cb and Cr.
fn opponent(cb: &Plane, cr: &Plane) -> Chroma {
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
        u: Plane::new(cb.width, cb.height, u),
        v: Plane::new(cb.width, cb.height, v),
    }
}

#[cfg(test)]
mod tests;
