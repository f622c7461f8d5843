use std::collections::HashSet;

use rustpython_ast::{CmpOp, Constant, Expr, ExprCall, ExprContext, Operator, Ranged, Stmt};

use crate::declare_fixer;
use crate::engine::checker::nodes::{flatten, Entry};
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// In a function that reads a binary file through a simple name `f`, makes the str
    /// literals that meet that data bytes literals, and opens the file in binary mode:
    /// - `f` is binary when it is assigned `open(..., "rb")` (any mode with `b`) in the
    ///   function, or when some `f.read(...)` of the function is an argument of
    ///   `struct.unpack()` / `unpack()`;
    /// - `f.read(...) == "lit"` (any comparison) and `f.read(...) + "lit"` (either side) get
    ///   `b"lit"`;
    /// - `f = open(path)` without a mode, in a function where `f` is binary, gets `"rb"`;
    /// - `name = f.read(...)` whose every later use in the function is a subscript or a str
    ///   method called with a str literal (`name.find("\x00")`) is decoded with
    ///   `.decode("latin-1")`: Python 2's str methods worked on those bytes one character per
    ///   byte, which Latin-1 reproduces, and the text it yields is what Python 3 code expects.
    ///
    /// ## Why
    /// In Python 3, reading a binary file gives `bytes`, and `bytes` never equals a `str`:
    /// `f.read(4) != "TZif"` is always true, `struct.unpack` refuses text, and
    /// `data.find("\x00")` raises `TypeError`.
    ///
    /// ## Example
    /// ```python
    /// def load(fileobj):
    ///     if isinstance(fileobj, basestring):
    ///         fileobj = open(fileobj)
    ///     if fileobj.read(4) != "TZif":
    ///         raise ValueError("magic not found")
    ///     count, = struct.unpack(">l", fileobj.read(4))
    ///     abbr = fileobj.read(count)
    ///     return abbr[:abbr.find("\x00")]
    /// ```
    /// becomes
    /// ```python
    /// def load(fileobj):
    ///     if isinstance(fileobj, basestring):
    ///         fileobj = open(fileobj, "rb")
    ///     if fileobj.read(4) != b"TZif":
    ///         raise ValueError("magic not found")
    ///     count, = struct.unpack(">l", fileobj.read(4))
    ///     abbr = fileobj.read(count).decode("latin-1")
    ///     return abbr[:abbr.find("\x00")]
    /// ```
    ///
    /// ## Limits
    /// Only simple names inside one function are followed; literals with non-ASCII
    /// characters are left alone (a bytes literal cannot hold them).
    pub BINARY_READ_COMPARISON = FixerSpec {
        code: "PY416",
        name: "binary-read-comparison",
        summary: "str literals compared with binary file data -> bytes literals",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

/// Methods of str whose str-literal arguments show that a value is used as text.
const TEXT_METHODS: &[&str] = &[
    "find",
    "rfind",
    "index",
    "rindex",
    "split",
    "rsplit",
    "startswith",
    "endswith",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "count",
    "partition",
    "rpartition",
];

fn check(stmt: &Stmt, checker: &mut Checker) {
    let body = match stmt {
        Stmt::FunctionDef(f) => &f.body,
        Stmt::AsyncFunctionDef(f) => &f.body,
        _ => return,
    };
    // A binary file comes from `open(...)`, `unpack(...)` or `struct.unpack(...)`: a module
    // that never reads those names has none (and the body need not be walked).
    let semantic = checker.semantic();
    if ["open", "unpack", "struct"]
        .iter()
        .all(|n| semantic.name_use(n).loads == 0)
    {
        return;
    }
    let entries = flatten(body, |_, _| {});
    let nodes: Vec<NodeRef> = entries.iter().map(|e| e.node).collect();
    let binary = binary_files(&nodes);
    if binary.is_empty() {
        return;
    }
    let open_is_builtin = checker.is_builtin("open");
    for (index, node) in nodes.iter().enumerate() {
        match node {
            NodeRef::Expr(Expr::Compare(cmp)) => {
                let operands: Vec<&Expr> = std::iter::once(cmp.left.as_ref())
                    .chain(cmp.comparators.iter())
                    .collect();
                for (i, op) in cmp.ops.iter().enumerate() {
                    if matches!(op, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot) {
                        continue;
                    }
                    let (Some(l), Some(r)) = (operands.get(i), operands.get(i + 1)) else {
                        continue;
                    };
                    literal_meets_read(checker, &binary, l, r);
                    literal_meets_read(checker, &binary, r, l);
                }
            }
            NodeRef::Expr(Expr::BinOp(b)) if matches!(b.op, Operator::Add) => {
                literal_meets_read(checker, &binary, &b.left, &b.right);
                literal_meets_read(checker, &binary, &b.right, &b.left);
            }
            NodeRef::Stmt(Stmt::Assign(a)) => {
                let [Expr::Name(target)] = a.targets.as_slice() else {
                    continue;
                };
                let name = target.id.as_str();
                if open_is_builtin && binary.contains(name) {
                    add_binary_mode(checker, &a.value);
                }
                if read_of(&a.value, &binary).is_some() && used_only_as_text(&entries, index, name)
                {
                    let end = a.value.range().end().to_usize();
                    let fix = if checker.six() {
                        // Python 2 keeps its `str`: `six.ensure_str` decodes on Python 3 only.
                        let start = a.value.range().start().to_usize();
                        let mut edits = Vec::new();
                        crate::fixers::six::six_attr(checker, "ensure_str", &mut edits).map(|f| {
                            edits.push(Edit::insert(start, format!("{f}(")));
                            edits.push(Edit::insert(end, ", \"latin-1\")"));
                            Fix::safe(edits)
                        })
                    } else {
                        Some(Fix::safe(vec![Edit::insert(end, ".decode(\"latin-1\")")]))
                    };
                    checker.report(
                        &BINARY_READ_COMPARISON,
                        a.value.as_ref(),
                        format!("`{name}` holds bytes in Python 3 but is used as text: decode it"),
                        fix,
                    );
                }
            }
            _ => {}
        }
    }
}

/// The names of the function's binary files.
fn binary_files<'a>(nodes: &[NodeRef<'a>]) -> HashSet<&'a str> {
    let mut binary = HashSet::new();
    for node in nodes {
        match node {
            NodeRef::Stmt(Stmt::Assign(a)) => {
                if let ([Expr::Name(target)], Expr::Call(call)) =
                    (a.targets.as_slice(), a.value.as_ref())
                {
                    if is_open(call) && open_mode(call).is_some_and(|m| m.contains('b')) {
                        binary.insert(target.id.as_str());
                    }
                }
            }
            NodeRef::Expr(Expr::Call(call)) if is_unpack(call) => {
                for arg in &call.args {
                    if let Some(file) = read_receiver(arg) {
                        binary.insert(file);
                    }
                }
            }
            _ => {}
        }
    }
    binary
}

fn is_open(call: &ExprCall) -> bool {
    matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "open")
}

fn is_unpack(call: &ExprCall) -> bool {
    match call.func.as_ref() {
        Expr::Name(n) => n.id.as_str() == "unpack",
        Expr::Attribute(a) => {
            a.attr.as_str() == "unpack"
                && matches!(a.value.as_ref(), Expr::Name(m) if m.id.as_str() == "struct")
        }
        _ => false,
    }
}

/// The mode string of an `open()` call (second positional or `mode=`), when a literal.
fn open_mode(call: &ExprCall) -> Option<&str> {
    let mode = call.args.get(1).or_else(|| {
        call.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "mode"))
            .map(|k| &k.value)
    })?;
    match mode {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// `f` when `expr` is `f.read(...)`.
fn read_receiver(expr: &Expr) -> Option<&str> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(a) = call.func.as_ref() else {
        return None;
    };
    if a.attr.as_str() != "read" {
        return None;
    }
    match a.value.as_ref() {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

/// `f` when `expr` is `f.read(...)` and `f` is binary.
fn read_of<'a>(expr: &'a Expr, binary: &HashSet<&str>) -> Option<&'a str> {
    read_receiver(expr).filter(|f| binary.contains(f))
}

/// Makes `literal` a bytes literal when `other` reads a binary file.
fn literal_meets_read(checker: &mut Checker, binary: &HashSet<&str>, literal: &Expr, other: &Expr) {
    let Expr::Constant(c) = literal else { return };
    let Constant::Str(value) = &c.value else {
        return;
    };
    if read_of(other, binary).is_none() || !value.is_ascii() {
        return;
    }
    let source = checker.source(literal);
    let start = literal.range().start().to_usize();
    // Implicit concatenation, f-strings: leave alone.
    let edit = match source.chars().next() {
        Some('\'' | '"' | 'r' | 'R') => Edit::insert(start, "b"),
        Some('u' | 'U') => Edit::replace(start, start + 1, "b"),
        _ => return,
    };
    let quotes = source.matches(['\'', '"']).count();
    if quotes > 6 && !source.contains("\"\"\"") && !source.contains("'''") {
        return;
    }
    checker.report(
        &BINARY_READ_COMPARISON,
        literal,
        "data read from a binary file is bytes in Python 3: compare it with a bytes literal",
        Some(Fix::safe(vec![edit])),
    );
}

/// Adds `"rb"` to `open(path)` without a mode.
fn add_binary_mode(checker: &mut Checker, value: &Expr) {
    let Expr::Call(call) = value else { return };
    if !is_open(call) || call.args.len() != 1 || !call.keywords.is_empty() {
        return;
    }
    let Some(arg) = call.args.first() else { return };
    if matches!(arg, Expr::Starred(_)) {
        return;
    }
    let end = arg.range().end().to_usize();
    checker.report(
        &BINARY_READ_COMPARISON,
        value,
        "this file is read as binary data: open it in binary mode",
        Some(Fix::safe(vec![Edit::insert(end, ", \"rb\"")])),
    );
}

/// Whether every use of `name` after the assignment at `index` reads it as text: subscripts
/// and text methods, at least one of them called with a str literal.
fn used_only_as_text(entries: &[Entry], index: usize, name: &str) -> bool {
    let parent_of = |i: u32| usize::try_from(i).ok().and_then(|i| entries.get(i));
    let mut text_evidence = false;
    let mut uses = 0usize;
    for entry in entries.iter().skip(index.saturating_add(1)) {
        let NodeRef::Expr(use_expr @ Expr::Name(n)) = entry.node else {
            continue;
        };
        if n.id.as_str() != name {
            continue;
        }
        if !matches!(n.ctx, ExprContext::Load) {
            // The assignment's own target, or a later rebinding: stop looking there.
            if uses > 0 {
                break;
            }
            continue;
        }
        uses += 1;
        let Some(parent) = parent_of(entry.parent) else {
            return false;
        };
        match parent.node {
            NodeRef::Expr(Expr::Subscript(s)) if std::ptr::eq(s.value.as_ref(), use_expr) => {}
            NodeRef::Expr(method @ Expr::Attribute(a))
                if TEXT_METHODS.contains(&a.attr.as_str()) =>
            {
                let Some(NodeRef::Expr(Expr::Call(call))) =
                    parent_of(parent.parent).map(|e| e.node)
                else {
                    return false;
                };
                if !std::ptr::eq(call.func.as_ref(), method) {
                    return false;
                }
                if call
                    .args
                    .iter()
                    .any(|a| matches!(a, Expr::Constant(k) if matches!(k.value, Constant::Str(_))))
                {
                    text_evidence = true;
                }
            }
            _ => return false,
        }
    }
    uses > 0 && text_evidence
}
