//! What a specimen photo is drawn from: the frame, the card's place in it, what it lies on,
//! the light and the faults of a phone photo.

/// Frame width of a scene: larger than the smallest photo the app accepts.
pub const WIDTH: u32 = 1200;
/// Frame height of a scene.
pub const HEIGHT: u32 = 800;

/// A card under mild perspective filling about half the frame (TL, TR, BR, BL).
pub const QUAD: [[f32; 2]; 4] = [
    [170.0, 150.0],
    [1040.0, 118.0],
    [1062.0, 676.0],
    [148.0, 690.0],
];

/// What the card lies on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Background {
    Plain,
    Wood,
    /// A cluttered desk: overlapping sheets of varied colour with print on some.
    Busy,
    /// Notebook paper a little brighter than the card: thin blue-grey lines every `pitch`
    /// px (and across them when `squared`), a red margin line, turned by `angle` degrees.
    Ruled {
        pitch: u8,
        angle: i8,
        squared: bool,
    },
    /// A striped tablecloth: bands `width` px wide at `angle` degrees in two colours of
    /// palette `tone` (0..4), one of them light.
    Striped {
        width: u8,
        angle: i8,
        tone: u8,
    },
}

impl Background {
    /// College-ruled notebook paper, square to the frame.
    pub const RULED: Background = Background::Ruled {
        pitch: 24,
        angle: 0,
        squared: false,
    };
    /// Red and cream stripes 40 px wide, at 30 degrees.
    pub const STRIPED: Background = Background::Striped {
        width: 40,
        angle: 30,
        tone: 0,
    };
}

/// Which face of the card is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Portrait,
    Emblem,
}

/// A straight-edged cast shadow (a hand or the phone between the light and the card).
#[derive(Clone, Copy, Debug)]
pub struct Shade {
    pub a: [f32; 2],
    pub b: [f32; 2],
    pub level: f32,
    pub soft: f32,
}

/// Everything a specimen photo is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct Scene {
    /// Where the card's corners land in the frame (TL, TR, BR, BL).
    pub quad: [[f32; 2]; 4],
    pub background: Background,
    /// Multiply all light by this.
    pub gain: f32,
    /// Added to all light after the gain.
    pub offset: f32,
    /// Gaussian blur sigma in pixels (0 = none).
    pub blur: f32,
    /// Motion blur: the card's travel during the exposure in pixels, and its direction in
    /// degrees (0 = along x, 90 = along y).
    pub motion: Option<(f32, f32)>,
    /// A saturated glare spot: centre and radius.
    pub glare: Option<([f32; 2], f32)>,
    /// Light falling from `shadow` (left) to 1.0 (right) across the frame.
    pub shadow: Option<f32>,
    /// A cast shadow: light times `level` on the right of the line from `a` to `b` (as seen
    /// walking from a to b on the image, y down), easing in over `soft` pixels.
    pub shade: Option<Shade>,
    /// Draw no card at all.
    pub no_card: bool,
    pub side: Side,
    /// Small printed details that tell retakes apart (0 = none).
    pub variant: u32,
    /// Frame size in pixels.
    pub width: u32,
    pub height: u32,
}

impl Scene {
    /// The portrait side at [`QUAD`] on `background`, in good light, nothing wrong.
    pub fn new(background: Background) -> Scene {
        Scene {
            quad: QUAD,
            background,
            gain: 1.0,
            offset: 0.0,
            blur: 0.0,
            motion: None,
            glare: None,
            shadow: None,
            shade: None,
            no_card: false,
            side: Side::Portrait,
            variant: 0,
            width: WIDTH,
            height: HEIGHT,
        }
    }
}
