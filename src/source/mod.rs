//! Source files: bytes <-> text.
