//! PY002 exec-statement: `exec code in g, l` -> `exec(code, g, l)`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 `exec` statement as a call of the `exec` function:
    /// `exec code` -> `exec(code)`, `exec code in g` -> `exec(code, g)`,
    /// `exec code in g, l` -> `exec(code, g, l)`. A statement that is already one parenthesised
    /// group (`exec(code)`, `exec (code, g)`) means the same in both languages and is left alone.
    ///
    /// ## Why
    /// `exec` is a function in Python 3: the statement is a syntax error.
    ///
    /// ## Example
    /// ```python
    /// exec source in namespace
    /// ```
    /// becomes
    /// ```python
    /// exec(source, namespace)
    /// ```
    pub EXEC_STATEMENT = FixerSpec {
        code: "PY002",
        name: "exec-statement",
        summary: "exec statement -> exec() function",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let code = &cx.code;
    for st in &code.statements {
        let r = st.range.clone();
        if st.header || !code.is_name(r.start, "exec") || !code.balanced(&r) {
            continue;
        }
        let args = r.start + 1..r.end;
        if args.is_empty()
            || !crate::tokens::statements::starts_print_args(code, args.start)
            || code.is_op(args.start, ">>")
            || code.is_group(&args, "(")
        {
            continue;
        }
        // The first `in` outside brackets separates the code from the namespaces.
        let split = args
            .clone()
            .find(|&k| code.depth[k] == 0 && code.is_name(k, "in"));
        let mut parts = Vec::new();
        match split {
            Some(k) => {
                parts.push(code.slice(&(args.start..k)).to_string());
                let namespaces = code.split_commas(&(k + 1..args.end));
                if k == args.start
                    || namespaces.is_empty()
                    || namespaces.len() > 2
                    || namespaces.iter().any(|p| p.is_empty())
                {
                    out.push(finding(
                        &EXEC_STATEMENT,
                        "`exec` statement: use the exec() function",
                        code.span(&r),
                        None,
                    ));
                    continue;
                }
                // The namespaces keep their own spacing.
                parts.push(code.slice(&(k + 1..args.end)).to_string());
            }
            None => parts.push(code.slice(&args).to_string()),
        }
        let edit = Edit::replace(
            code.end(r.start),
            code.end(args.end - 1),
            format!("({})", parts.join(", ")),
        );
        out.push(finding(
            &EXEC_STATEMENT,
            "`exec` statement: use the exec() function",
            code.span(&r),
            Some(vec![edit]),
        ));
    }
}
