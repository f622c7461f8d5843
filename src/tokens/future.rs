//! `from __future__ import ...` detection on tokens.

use super::{Token, TokenKind};

/// Whether the file imports `feature` from `__future__` (any form: several names, parentheses,
/// `as`, several future statements). Future imports must come first in a module, so the scan stops
/// at the first statement that is not a docstring, a future import or trivia.
pub fn has_future_import(text: &str, tokens: &[Token], feature: &str) -> bool {
    let sig: Vec<&Token> = tokens.iter().filter(|t| !t.is_trivia()).collect();
    let mut i = 0;
    while i < sig.len() {
        let t = sig[i];
        match (t.kind, t.text(text)) {
            (TokenKind::String, _) | (TokenKind::Newline, _) | (TokenKind::Op, ";") => i += 1,
            (TokenKind::Name, "from")
                if sig.get(i + 1).map(|t| t.text(text)) == Some("__future__")
                    && sig.get(i + 2).map(|t| t.text(text)) == Some("import") =>
            {
                i += 3;
                while let Some(t) = sig.get(i) {
                    if t.kind == TokenKind::Newline || t.text(text) == ";" {
                        break;
                    }
                    let is_target = sig
                        .get(i.wrapping_sub(1))
                        .is_some_and(|p| p.text(text) == "as");
                    if t.kind == TokenKind::Name && t.text(text) == feature && !is_target {
                        return true;
                    }
                    i += 1;
                }
            }
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn has(text: &str) -> bool {
        has_future_import(text, &tokenize(text), "print_function")
    }

    #[test]
    fn forms() {
        assert!(has("from __future__ import print_function\n"));
        assert!(has(
            "'''doc'''\n# c\nfrom __future__ import (division,\n    print_function as pf)\n"
        ));
        assert!(has(
            "from __future__ import division\nfrom __future__ import print_function\n"
        ));
        assert!(!has("import os\nfrom __future__ import print_function\n"));
        assert!(!has("from __future__ import division\n"));
        assert!(!has("from foo import print_function\n"));
    }
}
