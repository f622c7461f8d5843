//! The pickle opcode table: every opcode of protocols 0-5, its argument encoding and the protocol
//! that introduced it (as documented in CPython's `Lib/pickletools.py`).

/// How an opcode's argument is encoded in the stream (names follow `pickletools`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// No argument.
    None,
    /// One unsigned byte.
    Uint1,
    /// Two-byte little-endian unsigned integer.
    Uint2,
    /// Four-byte little-endian signed integer.
    Int4,
    /// Four-byte little-endian unsigned integer.
    Uint4,
    /// Eight-byte little-endian unsigned integer.
    Uint8,
    /// Eight-byte big-endian IEEE double.
    Float8,
    /// One-byte length, then a little-endian two's complement integer.
    Long1,
    /// Four-byte signed length, then a little-endian two's complement integer.
    Long4,
    /// One-byte length, then raw bytes.
    Bytes1,
    /// Four-byte signed length (a negative length is an error), then raw bytes.
    SignedBytes4,
    /// Four-byte unsigned length, then raw bytes.
    Bytes4,
    /// Eight-byte unsigned length, then raw bytes.
    Bytes8,
    /// A newline-terminated line (quoted and escaped for STRING, raw otherwise).
    Line,
    /// Two newline-terminated lines (module, then name).
    TwoLines,
}

/// Static facts about one opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpcodeInfo {
    /// The opcode byte.
    pub code: u8,
    /// The `pickletools` name, e.g. `SHORT_BINUNICODE`.
    pub name: &'static str,
    /// How its argument is encoded.
    pub arg: ArgKind,
    /// Protocol that introduced it (0-5).
    pub proto: u8,
}

impl OpcodeInfo {
    /// Python 2.7 knows exactly the opcodes of protocols 0, 1 and 2 (`pickle.py`, `cPickle.c`).
    pub fn known_to_python2(&self) -> bool {
        self.proto <= 2
    }
}

macro_rules! ops {
    ($($name:ident = $code:expr, $arg:ident, $proto:expr;)*) => {
        /// Opcode byte constants.
        pub mod code {
            $(
                #[doc = concat!("The `", stringify!($name), "` opcode byte.")]
                pub const $name: u8 = $code;
            )*
        }
        /// Every opcode, in `pickletools` order.
        pub const OPCODES: &[OpcodeInfo] = &[
            $(OpcodeInfo { code: $code, name: stringify!($name), arg: ArgKind::$arg, proto: $proto },)*
        ];
    };
}

ops! {
    INT = b'I', Line, 0;
    BININT = b'J', Int4, 1;
    BININT1 = b'K', Uint1, 1;
    BININT2 = b'M', Uint2, 1;
    LONG = b'L', Line, 0;
    LONG1 = 0x8a, Long1, 2;
    LONG4 = 0x8b, Long4, 2;
    STRING = b'S', Line, 0;
    BINSTRING = b'T', SignedBytes4, 1;
    SHORT_BINSTRING = b'U', Bytes1, 1;
    BINBYTES = b'B', Bytes4, 3;
    SHORT_BINBYTES = b'C', Bytes1, 3;
    BINBYTES8 = 0x8e, Bytes8, 4;
    BYTEARRAY8 = 0x96, Bytes8, 5;
    NEXT_BUFFER = 0x97, None, 5;
    READONLY_BUFFER = 0x98, None, 5;
    NONE = b'N', None, 0;
    NEWTRUE = 0x88, None, 2;
    NEWFALSE = 0x89, None, 2;
    UNICODE = b'V', Line, 0;
    SHORT_BINUNICODE = 0x8c, Bytes1, 4;
    BINUNICODE = b'X', Bytes4, 1;
    BINUNICODE8 = 0x8d, Bytes8, 4;
    FLOAT = b'F', Line, 0;
    BINFLOAT = b'G', Float8, 1;
    EMPTY_LIST = b']', None, 1;
    APPEND = b'a', None, 0;
    APPENDS = b'e', None, 1;
    LIST = b'l', None, 0;
    EMPTY_TUPLE = b')', None, 1;
    TUPLE = b't', None, 0;
    TUPLE1 = 0x85, None, 2;
    TUPLE2 = 0x86, None, 2;
    TUPLE3 = 0x87, None, 2;
    EMPTY_DICT = b'}', None, 1;
    DICT = b'd', None, 0;
    SETITEM = b's', None, 0;
    SETITEMS = b'u', None, 1;
    EMPTY_SET = 0x8f, None, 4;
    ADDITEMS = 0x90, None, 4;
    FROZENSET = 0x91, None, 4;
    POP = b'0', None, 0;
    DUP = b'2', None, 0;
    MARK = b'(', None, 0;
    POP_MARK = b'1', None, 1;
    GET = b'g', Line, 0;
    BINGET = b'h', Uint1, 1;
    LONG_BINGET = b'j', Uint4, 1;
    PUT = b'p', Line, 0;
    BINPUT = b'q', Uint1, 1;
    LONG_BINPUT = b'r', Uint4, 1;
    MEMOIZE = 0x94, None, 4;
    EXT1 = 0x82, Uint1, 2;
    EXT2 = 0x83, Uint2, 2;
    EXT4 = 0x84, Int4, 2;
    GLOBAL = b'c', TwoLines, 0;
    STACK_GLOBAL = 0x93, None, 4;
    REDUCE = b'R', None, 0;
    BUILD = b'b', None, 0;
    INST = b'i', TwoLines, 0;
    OBJ = b'o', None, 1;
    NEWOBJ = 0x81, None, 2;
    NEWOBJ_EX = 0x92, None, 4;
    PROTO = 0x80, Uint1, 2;
    STOP = b'.', None, 0;
    FRAME = 0x95, Uint8, 4;
    PERSID = b'P', Line, 0;
    BINPERSID = b'Q', None, 1;
}

/// Index into [`OPCODES`] for every byte value (`u8::MAX` when the byte is no opcode).
static BY_BYTE: [u8; 256] = build_index();

const fn build_index() -> [u8; 256] {
    let mut table = [u8::MAX; 256];
    let mut i = 0;
    while i < OPCODES.len() {
        table[OPCODES[i].code as usize] = i as u8;
        i += 1;
    }
    table
}

/// Looks up the opcode for a byte; `None` for bytes that are not opcodes.
pub fn lookup(byte: u8) -> Option<&'static OpcodeInfo> {
    let index = BY_BYTE[usize::from(byte)];
    OPCODES.get(usize::from(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_68_distinct_opcodes() {
        assert_eq!(OPCODES.len(), 68);
        let known = (0..=255u8).filter(|b| lookup(*b).is_some()).count();
        assert_eq!(known, 68);
        assert_eq!(lookup(b'.').map(|o| o.name), Some("STOP"));
        assert_eq!(lookup(0x95).map(|o| o.proto), Some(4));
        assert!(lookup(0xff).is_none());
    }
}
