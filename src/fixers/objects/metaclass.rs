use rustpython_ast::{Expr, Ranged, Stmt, StmtClassDef};

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::util::operand_text;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Moves a `__metaclass__ = M` assignment of a class body into the class header:
    /// `class A(Base, metaclass=M):`.
    ///
    /// ## Why
    /// Python 3 ignores the `__metaclass__` attribute: the class would silently be built by
    /// `type`, without the metaclass' behaviour.
    ///
    /// ## Example
    /// ```python
    /// class Plugin(Base):
    ///     __metaclass__ = Registry
    ///     name = None
    /// ```
    /// becomes
    /// ```python
    /// class Plugin(Base, metaclass=Registry):
    ///     name = None
    /// ```
    ///
    /// ## Limits
    /// Only a single plain assignment directly in the class body, on its own line, is moved
    /// (several assignments, or one sharing its line, are reported only). A module-level
    /// `__metaclass__` is not handled.
    pub METACLASS = FixerSpec {
        code: "PY306",
        name: "metaclass",
        summary: "__metaclass__ = M in a class body -> class A(metaclass=M)",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

/// Whether `stmt` is `__metaclass__ = value`; gives the value.
fn metaclass_value(stmt: &Stmt) -> Option<&Expr> {
    let Stmt::Assign(assign) = stmt else {
        return None;
    };
    match assign.targets.as_slice() {
        [Expr::Name(n)] if n.id.as_str() == "__metaclass__" => Some(&assign.value),
        _ => None,
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ClassDef(class) = stmt else { return };
    let assignments: Vec<(usize, &Expr)> = class
        .body
        .iter()
        .enumerate()
        .filter_map(|(i, s)| metaclass_value(s).map(|v| (i, v)))
        .collect();
    let [(index, value)] = assignments.as_slice() else {
        if !assignments.is_empty() {
            checker.report(
                &METACLASS,
                stmt,
                "`__metaclass__` is ignored by Python 3",
                None,
            );
        }
        return;
    };
    let fix = build_fix(checker, class, *index, value).map(Fix::safe);
    if class
        .keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass"))
    {
        return;
    }
    let message = if checker.six() {
        "`__metaclass__` is ignored by Python 3: use `six.with_metaclass(M, bases)`"
    } else {
        "`__metaclass__` is ignored by Python 3: use `metaclass=` in the class header"
    };
    checker.report(&METACLASS, stmt, message, fix);
}

fn build_fix(
    checker: &Checker,
    class: &StmtClassDef,
    index: usize,
    value: &Expr,
) -> Option<Vec<Edit>> {
    let text = checker.text;
    let assignment = class.body.get(index)?;
    let value_text = operand_text(text, value, 1);
    let mut edits = Vec::new();
    if checker.six() {
        // `class A(six.with_metaclass(M, Base))`: Python 2 has no `metaclass=`.
        let function = crate::fixers::six::six_attr(checker, "with_metaclass", &mut edits)?;
        match (class.bases.first(), class.bases.last()) {
            (Some(first), Some(last)) => {
                let (start, end) = (
                    first.range().start().to_usize(),
                    last.range().end().to_usize(),
                );
                let bases = text.get(start..end)?;
                edits.push(Edit::replace(
                    start,
                    end,
                    format!("{function}({value_text}, {bases})"),
                ));
            }
            _ => edits.push(header_edit(
                text,
                class,
                &format!("{function}({value_text})"),
            )?),
        }
    } else {
        let keyword = format!("metaclass={value_text}");
        edits.push(header_edit(text, class, &keyword)?);
    }
    let start = assignment.range().start().to_usize();
    let end = assignment.range().end().to_usize();
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    if !text.get(line_start..start)?.trim().is_empty() {
        return None;
    }
    let rest = text.get(end..)?;
    let line_end = rest.find('\n').map_or(text.len(), |n| end + n + 1);
    let tail = text.get(end..line_end)?.trim_start();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    if class.body.len() == 1 {
        // The body would be empty.
        edits.push(Edit::replace(start, end, "pass"));
    } else {
        edits.push(Edit::delete(line_start, line_end));
    }
    Some(edits)
}

/// The edit that puts `keyword` into the class header's argument list.
fn header_edit(text: &str, class: &StmtClassDef, keyword: &str) -> Option<Edit> {
    let last_argument = class
        .bases
        .iter()
        .map(|b| b.range().end())
        .chain(class.keywords.iter().map(|k| k.range().end()))
        .max();
    if let Some(end) = last_argument {
        return Some(Edit::insert(end.to_usize(), format!(", {keyword}")));
    }
    // No arguments: find the name after `class`, then `(` or `:`.
    let from = class
        .decorator_list
        .last()
        .map_or(class.range.start().to_usize(), |d| {
            d.range().end().to_usize()
        });
    let header = text.get(from..)?;
    let class_at = header.find("class")?;
    let after_class = from + class_at + "class".len();
    let name = class.name.as_str();
    let name_at = after_class + text.get(after_class..)?.find(name)?;
    let name_end = name_at + name.len();
    let after_name = text.get(name_end..)?;
    let skipped = after_name.len()
        - after_name
            .trim_start_matches([' ', '\t', '\\', '\n', '\r'])
            .len();
    let next = name_end + skipped;
    match text.get(next..next + 1)? {
        "(" => Some(Edit::insert(next + 1, keyword.to_string())),
        ":" => Some(Edit::insert(name_end, format!("({keyword})"))),
        _ => None,
    }
}
