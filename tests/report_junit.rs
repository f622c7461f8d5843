//! `--output-format junit` is well-formed XML that parses back (with quick-xml) to one test
//! suite, one failing test case a finding, and the original texts after unescaping.

use py2to3::report::{write_report, Finding, OutputFormat, ReportOptions};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// One parsed element: its path from the root, its attributes and its text.
#[derive(Debug)]
struct Element {
    path: String,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no attribute {name} on {}", self.path))
    }
}

/// Parses `xml` completely, failing on any well-formedness error.
fn parse(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut elements: Vec<Element> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                stack.push(name);
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("valid attribute");
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        let value = a
                            .normalized_value(XmlVersion::Explicit1_0)
                            .expect("valid value");
                        (key, value.into_owned())
                    })
                    .collect();
                elements.push(Element {
                    path: stack.join("/"),
                    attrs,
                    text: String::new(),
                });
                if matches!(event, Event::Empty(_)) {
                    stack.pop();
                } else {
                    open.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                stack.pop();
                open.pop();
            }
            Event::Text(t) => {
                let text = t.xml10_content().expect("valid text");
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&text);
                } else {
                    assert!(text.trim().is_empty(), "text outside the root: {text:?}");
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().expect("valid reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().unwrap().into_owned();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity {name}"))
                            .to_string()
                    }
                };
                let i = *open.last().expect("reference inside an element");
                elements[i].text.push_str(&resolved);
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    elements
}

fn junit(findings: &[Finding]) -> String {
    let mut out = Vec::new();
    write_report(
        OutputFormat::Junit,
        findings,
        &ReportOptions::plain(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

fn finding(code: &str, path: &str, message: &str) -> Finding {
    Finding {
        code: code.into(),
        name: "n".into(),
        message: message.into(),
        path: path.into(),
        line: 3,
        column: 7,
        end_line: 3,
        end_column: 9,
        fixable: false,
        fix: None,
    }
}

#[test]
fn junit_is_well_formed_and_round_trips() {
    let nasty = "a < b && c > \"d\" 'e'\nnext line ]]> \u{1} end";
    let findings = vec![
        finding("PY001", "pkg/a.py", "`print` statement"),
        finding("PY002", "pkg/<odd> & \"name\".py", nasty),
    ];
    let elements = parse(&junit(&findings));
    let paths: Vec<&str> = elements.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "testsuites",
            "testsuites/testsuite",
            "testsuites/testsuite/testcase",
            "testsuites/testsuite/testcase/failure",
            "testsuites/testsuite/testcase",
            "testsuites/testsuite/testcase/failure",
        ]
    );
    let suite = &elements[1];
    assert_eq!(suite.attr("tests"), "2");
    assert_eq!(suite.attr("failures"), "2");
    let case = &elements[4];
    assert_eq!(case.attr("classname"), "pkg/<odd> & \"name\".py");
    assert_eq!(case.attr("name"), "PY002 pkg/<odd> & \"name\".py:3:7");
    assert_eq!(case.attr("line"), "3");
    let failure = &elements[5];
    // The control character XML cannot carry becomes U+FFFD; everything else comes back.
    let expected = nasty.replace('\u{1}', "\u{FFFD}");
    assert_eq!(failure.attr("message"), expected);
    assert_eq!(failure.attr("type"), "PY002");
    assert_eq!(
        failure.text,
        format!("pkg/<odd> & \"name\".py:3:7: PY002 {expected}")
    );
}

#[test]
fn junit_without_findings_has_one_passing_case() {
    let elements = parse(&junit(&[]));
    let paths: Vec<&str> = elements.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "testsuites",
            "testsuites/testsuite",
            "testsuites/testsuite/testcase"
        ]
    );
    assert_eq!(elements[1].attr("failures"), "0");
}
