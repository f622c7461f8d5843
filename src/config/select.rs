//! Rule selectors (`--select`, `--ignore`, `select = [...]`): a code (`PY001`), a code prefix
//! (`PY1`), a kebab-case name (`print-statement`), a group name (`2to3`) or `ALL`.
//!
//! Selections apply in layers, the configuration file's first, then the command line's: in each
//! layer `select` (when given) replaces the set, `extend-select` adds to it and `ignore` removes
//! from it. Before the first layer the set is the rules that are on by default.

use crate::engine::spec::FixerSpec;
use crate::fixers::registry;

/// One layer of rule selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// Replaces the set when given.
    pub select: Option<Vec<String>>,
    /// Added to the set.
    pub extend_select: Vec<String>,
    /// Removed from the set (after the additions).
    pub ignore: Vec<String>,
}

/// Whether `selector` names `spec`: `ALL`, its code or a code prefix of at least two characters
/// (`PY1`; case-insensitive), its name, or one of its groups.
pub fn matches(selector: &str, spec: &FixerSpec) -> bool {
    let selector = selector.trim();
    selector.eq_ignore_ascii_case("ALL")
        || spec.name == selector
        || spec.in_group(selector)
        || (selector.len() >= 2
            && selector.chars().all(|c| c.is_ascii_alphanumeric())
            && spec
                .code
                .get(..selector.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(selector)))
}

/// The rules `selector` names, or an error naming it when it names none.
pub fn expand(
    selector: &str,
    rules: &[&'static FixerSpec],
) -> Result<Vec<&'static FixerSpec>, String> {
    let found: Vec<&'static FixerSpec> = rules
        .iter()
        .copied()
        .filter(|spec| matches(selector, spec))
        .collect();
    if found.is_empty() {
        Err(format!(
            "unknown rule selector `{selector}`: not a code, code prefix, rule name or group \
             (see `py2to3 rules`)"
        ))
    } else {
        Ok(found)
    }
}

/// The rules `select` names (the defaults when it is empty) less those `ignore` names: what
/// `--select` and `--ignore` alone leave on, with no configuration file.
pub fn from_flags(select: &[&str], ignore: &[&str]) -> Result<Vec<&'static FixerSpec>, String> {
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let layer = RuleSelection {
        select: (!select.is_empty()).then(|| strings(select)),
        extend_select: Vec::new(),
        ignore: strings(ignore),
    };
    resolve(registry::all(), &[layer])
}

/// Checks that every selector names at least one rule.
pub fn validate(selectors: &[String], rules: &[&'static FixerSpec]) -> Result<(), String> {
    selectors
        .iter()
        .try_for_each(|s| expand(s, rules).map(drop))
}

/// The rules left on after applying `layers` in order, in registry order.
pub fn resolve(
    rules: &[&'static FixerSpec],
    layers: &[RuleSelection],
) -> Result<Vec<&'static FixerSpec>, String> {
    let mut on: Vec<bool> = rules.iter().map(|r| r.default_on).collect();
    for layer in layers {
        if let Some(select) = &layer.select {
            validate(select, rules)?;
            for (flag, rule) in on.iter_mut().zip(rules) {
                *flag = select.iter().any(|s| matches(s, rule));
            }
        }
        validate(&layer.extend_select, rules)?;
        validate(&layer.ignore, rules)?;
        for (flag, rule) in on.iter_mut().zip(rules) {
            if layer.extend_select.iter().any(|s| matches(s, rule)) {
                *flag = true;
            }
            if layer.ignore.iter().any(|s| matches(s, rule)) {
                *flag = false;
            }
        }
    }
    Ok(rules
        .iter()
        .zip(on)
        .filter_map(|(rule, flag)| flag.then_some(*rule))
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fixers::FixerKind;

    fn noop(_: &crate::fixers::TokenContext, _: &mut Vec<crate::engine::Diagnostic>) {}

    const fn spec(
        code: &'static str,
        name: &'static str,
        groups: &'static [&'static str],
        default_on: bool,
    ) -> FixerSpec {
        FixerSpec {
            code,
            name,
            summary: "",
            doc: "",
            groups,
            default_on,
            fixable: true,
            kind: FixerKind::Tokens(noop),
            ..crate::engine::spec::SPEC_DEFAULTS
        }
    }

    const PRINT: FixerSpec = spec("PY001", "print-statement", &["2to3", "grammar"], true);
    const NE: FixerSpec = spec("PY002", "ne-operator", &["2to3", "grammar"], true);
    const DICT: FixerSpec = spec("PY101", "dict-iter", &["2to3", "iterators"], true);
    const SIX: FixerSpec = spec("PY102", "six-moves", &["six"], false);

    /// A small registry for tests.
    pub(crate) fn rules() -> Vec<&'static FixerSpec> {
        vec![&PRINT, &NE, &DICT, &SIX]
    }

    fn codes(rules: &[&FixerSpec]) -> Vec<&'static str> {
        rules.iter().map(|r| r.code).collect()
    }

    fn layer(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> RuleSelection {
        let strings = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        RuleSelection {
            select: select.map(strings),
            extend_select: strings(extend),
            ignore: strings(ignore),
        }
    }

    #[test]
    fn selector_forms() {
        let r = rules();
        assert_eq!(codes(&expand("PY001", &r).unwrap()), ["PY001"]);
        assert_eq!(codes(&expand("py001", &r).unwrap()), ["PY001"]);
        assert_eq!(codes(&expand("PY1", &r).unwrap()), ["PY101", "PY102"]);
        assert_eq!(
            codes(&expand("PY", &r).unwrap()),
            ["PY001", "PY002", "PY101", "PY102"]
        );
        assert_eq!(codes(&expand("ne-operator", &r).unwrap()), ["PY002"]);
        assert_eq!(codes(&expand("grammar", &r).unwrap()), ["PY001", "PY002"]);
        assert_eq!(codes(&expand("ALL", &r).unwrap()).len(), 4);
        for bad in ["PY9", "P", "", "nope", "PY001,"] {
            let err = expand(bad, &r).err().unwrap();
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
    }

    #[test]
    fn layers_select_extend_ignore() {
        let r = rules();
        assert_eq!(
            codes(&resolve(&r, &[]).unwrap()),
            ["PY001", "PY002", "PY101"]
        );
        let config = layer(Some(&["grammar"]), &["six"], &["PY002"]);
        assert_eq!(
            codes(&resolve(&r, std::slice::from_ref(&config)).unwrap()),
            ["PY001", "PY102"]
        );
        // The command line's --select replaces the file's selection ...
        let cli = layer(Some(&["PY002"]), &[], &[]);
        assert_eq!(
            codes(&resolve(&r, &[config.clone(), cli]).unwrap()),
            ["PY002"]
        );
        // ... and its --ignore removes from it.
        let cli = layer(None, &[], &["print-statement"]);
        assert_eq!(codes(&resolve(&r, &[config, cli]).unwrap()), ["PY102"]);
        // ignore wins over select within a layer.
        let both = layer(Some(&["ALL"]), &[], &["PY1"]);
        assert_eq!(codes(&resolve(&r, &[both]).unwrap()), ["PY001", "PY002"]);
        let unknown = layer(None, &[], &["PY999"]);
        assert!(resolve(&r, &[unknown]).err().unwrap().contains("`PY999`"));
    }
}
