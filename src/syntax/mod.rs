//! Python 3 syntax trees from text: rustpython-parser's LALR parser, fed by our tokens, and our
//! recursive-descent parser ([`descent`]) that builds the very same tree faster or gives up.
//! Both read tokens from [`crate::tokens`]; nothing here knows about fixers or edits.

mod descent;
pub mod parse;
