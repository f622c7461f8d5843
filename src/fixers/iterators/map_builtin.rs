use rustpython_ast::{Constant, Expr};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{
    called_name, is_consumed_as_iterable, is_none, operand_text, single_lambda_parameter,
    wrap_in_builtin, Consumers, OR_TEST,
};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Where a list may be needed, turns `map(f, xs)` into `list(map(f, xs))`,
    /// `map(lambda x: e, xs)` into `[e for x in xs]`, and `map(None, xs)` into `list(xs)`,
    /// `map(None, a, b)` (which padded the shorter input with `None`) into
    /// `list(itertools.zip_longest(a, b))`, and `map(f, a, b)` over several sequences, unless
    /// they are displays of one length, into
    /// `list(itertools.starmap(f, itertools.zip_longest(a, b)))`: Python 2 padded the shorter
    /// with `None` where Python 3 stops at the shortest.
    /// Calls whose result is only iterated (`for`, comprehensions, `list()`, `sorted()`,
    /// `''.join()`, `set()`, `sum()` ...) are left alone.
    ///
    /// ## Why
    /// Python 3's `map()` returns a lazy iterator: it cannot be indexed, has no `len()`, and
    /// is exhausted after one pass. `map(None, ...)` raises `TypeError`.
    ///
    /// ## Example
    /// ```python
    /// names = map(str, ids)
    /// squares = map(lambda x: x * x, xs)
    /// ```
    /// becomes
    /// ```python
    /// names = list(map(str, ids))
    /// squares = [x * x for x in xs]
    /// ```
    ///
    /// ## Limits
    /// Skipped when `map` is bound anywhere in the module (a local variable, an import such
    /// as `from future_builtins import map`). `map(None, *args)` and `map(f, *args)` are only
    /// converted as one-sequence calls.
    pub MAP_BUILTIN = FixerSpec {
        code: "PY103",
        name: "map-builtin",
        summary: "map(...) -> list(map(...)) or a list comprehension where a list is needed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if called_name(call) != Some("map") || !call.keywords.is_empty() || call.args.is_empty() {
        return;
    }
    if !checker.is_builtin("map") {
        return;
    }
    let text = checker.text;
    let r = call.range;
    let whole = (r.start().to_usize(), r.end().to_usize());
    if let [first, rest @ ..] = call.args.as_slice() {
        if is_none(first) {
            let plain = !rest.iter().any(|a| matches!(a, Expr::Starred(_)));
            let fix = match rest {
                [seq] if plain && checker.is_builtin("list") => {
                    let seq = checker.source(seq);
                    Some(Fix::safe(vec![Edit::replace(
                        whole.0,
                        whole.1,
                        format!("list({seq})"),
                    )]))
                }
                [_, _, ..] if plain && checker.is_builtin("list") => {
                    // Python 2 padded the shorter inputs with None, as zip_longest does.
                    let mut edits = Vec::new();
                    zip_longest(checker, &mut edits).map(|zip_longest| {
                        let seqs: Vec<&str> = rest.iter().map(|a| checker.source(a)).collect();
                        edits.push(Edit::replace(
                            whole.0,
                            whole.1,
                            format!("list({zip_longest}({}))", seqs.join(", ")),
                        ));
                        Fix::safe(edits)
                    })
                }
                _ => None,
            };
            let message = match (fix.is_some(), rest.len()) {
                (true, 1) => "`map(None, xs)` fails in Python 3: use `list(xs)`",
                (true, _) => {
                    "`map(None, a, b)` fails in Python 3: use `list(itertools.zip_longest(a, b))`"
                }
                _ => {
                    "`map(None, ...)` fails in Python 3 and `map()` now stops at the shortest \
                     input: use `itertools.zip_longest`"
                }
            };
            checker.report(&MAP_BUILTIN, expr, message, fix);
            return;
        }
    }
    let consumed = is_consumed_as_iterable(checker, expr, Consumers::default());
    if let [function, seqs @ ..] = call.args.as_slice() {
        if seqs.len() >= 2
            && !seqs.iter().any(|a| matches!(a, Expr::Starred(_)))
            && !equal_known_lengths(checker, seqs)
        {
            let mut edits = Vec::new();
            let zip_longest = zip_longest(checker, &mut edits);
            if let (true, Some(zip_longest)) = (
                checker.importer().push_module("itertools", &mut edits)
                    && checker.is_builtin("list"),
                zip_longest,
            ) {
                let seqs: Vec<&str> = seqs.iter().map(|a| checker.source(a)).collect();
                let star = format!(
                    "itertools.starmap({}, {zip_longest}({}))",
                    checker.source(function),
                    seqs.join(", ")
                );
                let new = if consumed {
                    star
                } else {
                    format!("list({star})")
                };
                edits.push(Edit::replace(whole.0, whole.1, new));
                let message = "`map()` stops at the shortest input in Python 3; Python 2 padded \
                               the shorter ones with None: use `itertools.zip_longest`";
                checker.report(&MAP_BUILTIN, expr, message, Some(Fix::safe(edits)));
                return;
            }
        }
    }
    if consumed {
        return;
    }
    if let [Expr::Lambda(lambda), seq] = call.args.as_slice() {
        if let (Some(param), false) = (
            single_lambda_parameter(lambda),
            matches!(seq, Expr::Starred(_)),
        ) {
            let body = operand_text(text, &lambda.body, 1);
            let seq = operand_text(text, seq, OR_TEST);
            let comprehension = format!("[{body} for {param} in {seq}]");
            let fix = Fix::safe(vec![Edit::replace(whole.0, whole.1, comprehension)]);
            let message = "`map()` returns an iterator in Python 3: use a list comprehension";
            checker.report(&MAP_BUILTIN, expr, message, Some(fix));
            return;
        }
    }
    let fix = wrap_in_builtin(checker, expr, "list").map(Fix::safe);
    let message = "`map()` returns an iterator in Python 3: wrap it in `list()`";
    checker.report(&MAP_BUILTIN, expr, message, fix);
}

/// Whether the sequences are all displays of the same known length: only then does Python 3's
/// `map(f, a, b)` give what Python 2's did without padding.
pub(crate) fn equal_known_lengths(checker: &Checker, seqs: &[Expr]) -> bool {
    let lengths = known_lengths(checker, seqs);
    lengths.is_some_and(|l| l.windows(2).all(|w| w[0] == w[1]))
}

/// The lengths of displays (`[1, 2]`, `(a,)`, a short ASCII string literal without escapes);
/// `None` when one is not such a display.
fn known_lengths(checker: &Checker, seqs: &[Expr]) -> Option<Vec<usize>> {
    let length = |e: &Expr| -> Option<usize> {
        match e {
            Expr::List(l) if !l.elts.iter().any(|x| matches!(x, Expr::Starred(_))) => {
                Some(l.elts.len())
            }
            Expr::Tuple(t) if !t.elts.iter().any(|x| matches!(x, Expr::Starred(_))) => {
                Some(t.elts.len())
            }
            Expr::Constant(c) => match &c.value {
                Constant::Str(v) => {
                    let source = checker.source(e);
                    (source.is_ascii() && !source.contains('\\')).then(|| v.chars().count())
                }
                _ => None,
            },
            _ => None,
        }
    };
    seqs.iter().map(length).collect()
}

/// `itertools.zip_longest` (`six.moves.zip_longest` under `--target six`: Python 2 calls it
/// `izip_longest`), with the import it needs pushed to `edits`.
fn zip_longest(checker: &Checker, edits: &mut Vec<Edit>) -> Option<String> {
    if checker.six() {
        return crate::fixers::six::six_attr(checker, "moves.zip_longest", edits);
    }
    checker
        .importer()
        .push_module("itertools", edits)
        .then(|| "itertools.zip_longest".to_string())
}
