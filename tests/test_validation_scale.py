"""The pure parts of bench/validation_scale.py: reading Jena's output, comparing two engines' findings, choosing the
Debian jars, and reading the standing report, so the figures the bench prints rest on tested code."""

from __future__ import annotations

from bench.validation_scale import (
    compare,
    is_current_after,
    key,
    one_triple,
    parse_figures,
    read_jena_results,
    severity_counts,
    stream_page,
    unescape,
    usable_jars,
)

SH = "http://www.w3.org/ns/shacl#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def finding(**fields: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {
        "severity": "Violation",
        "focus_node": "https://example.org/synthetic/stream-s0001",
        "source_shape": "https://w3id.org/vskg/shapes#LabelShape",
        "path": LABEL,
        "value": None,
        "constraint": SH + "MinCountConstraintComponent",
        "message": "This node needs exactly one rdfs:label.",
    }
    return base | fields


def test_jena_lines_become_findings_with_escapes_undone_and_empty_fields_none() -> None:
    minimum, sparql = SH + "MinCountConstraintComponent", SH + "SPARQLConstraintComponent"
    text = (
        f"Violation\thttps://e.org/a\t_:b12\t<{LABEL}>\t\t{minimum}\tone\\ttwo\\nthree\n"
        f"Info\thttps://e.org/b\thttps://e.org/Shape\t\t2.50\t{sparql}\tback\\\\slash\n"
    )
    assert read_jena_results(text) == [
        {"severity": "Violation", "focus_node": "https://e.org/a", "source_shape": "_:b12", "path": f"<{LABEL}>",
         "value": None, "constraint": SH + "MinCountConstraintComponent", "message": "one\ttwo\nthree"},
        {"severity": "Info", "focus_node": "https://e.org/b", "source_shape": "https://e.org/Shape", "path": None,
         "value": "2.50", "constraint": SH + "SPARQLConstraintComponent", "message": "back\\slash"},
    ]  # fmt: skip
    assert unescape("a\\\\nb") == "a\\nb"


def test_a_line_with_the_wrong_number_of_fields_is_an_error_not_a_silent_skip() -> None:
    try:
        read_jena_results("Violation\tonly two\n")
    except ValueError as err:
        assert str(err).startswith("expected 7 tab-separated fields, got 2")
    else:
        raise AssertionError("no error")


def test_figures_are_read_from_key_value_lines_and_other_lines_skipped() -> None:
    out = "triples 102419\nparse_ms 4458.2\nOpenJDK warning: something\ncold_ms 14477.5\nseverity_Info 30\n"
    assert parse_figures(out) == {"triples": 102419.0, "parse_ms": 4458.2, "cold_ms": 14477.5, "severity_Info": 30.0}


def test_blank_nodes_and_one_predicate_paths_compare_equal_across_engines() -> None:
    vskg = finding(source_shape="_:n3f1", path=LABEL)
    jena = finding(source_shape="_:b0", path=f"<{LABEL}>")
    assert key(vskg) == key(jena)
    assert compare([vskg], [jena]).summary() == "identical"
    longer = "(^<https://w3id.org/vskg/ontology#subCapabilityOf>)*/^<https://w3id.org/vskg/ontology#supportsCapability>"
    assert key(finding(path=longer))[3] == longer


def test_same_findings_with_other_messages_are_told_apart_from_different_findings() -> None:
    ours = [finding(), finding(focus_node="https://e.org/x")]
    messages = [finding(message="Less than 1 values"), finding(focus_node="https://e.org/x", message="other")]
    result = compare(ours, messages)
    assert (result.identical, result.same_but_messages) == (False, True)
    assert result.summary() == "same results; messages differ"
    assert result.differing_fields == ["message"]

    values = [finding(value="2.50"), finding(focus_node="https://e.org/x")]
    result = compare([finding(value="2.5"), finding(focus_node="https://e.org/x")], values)
    assert result.summary() == "differ: 1 only here, 1 only there (differ in value)"
    assert result.examples == ["value: '2.5' vs '2.50'"]


def test_a_finding_missing_on_one_side_is_counted_as_such() -> None:
    result = compare([finding(), finding()], [finding()])
    assert result.summary() == "differ: 1 only here, 0 only there"
    assert result.examples == []


def test_severities_are_counted_with_zero_for_the_absent_ones() -> None:
    assert severity_counts([finding(), finding(severity="Info"), finding()]) == {"Violation": 2, "Warning": 0,
                                                                                  "Info": 1}  # fmt: skip


def test_the_classpath_takes_unversioned_jars_and_one_slf4j_binding() -> None:
    listed = [
        "/usr/share/java/jena-core.jar",
        "/usr/share/java/jena-core-4.5.0.jar",
        "/usr/share/java/guava-31.1-jre.jar",
        "/usr/share/java/guava.jar",
        "/usr/share/java/jsr305-0.1~+svn49.jar",
        "/usr/share/java/slf4j-api.jar",
        "/usr/share/java/slf4j-nop.jar",
        "/usr/share/java/slf4j-simple.jar",
        "/usr/share/java/slf4j-jdk14.jar",
        "/usr/share/maven-repo/org/apache/jena/jena-core/4.5.0/jena-core-4.5.0.jar",
        "/usr/share/doc/libapache-jena-java/copyright",
    ]
    assert usable_jars(listed) == [
        "/usr/share/java/guava.jar",
        "/usr/share/java/jena-core.jar",
        "/usr/share/java/slf4j-api.jar",
        "/usr/share/java/slf4j-nop.jar",
    ]


def test_the_report_is_current_only_when_it_says_so_and_covers_a_later_write() -> None:
    assert not is_current_after(None, 4)
    assert not is_current_after({"current": False, "as_of": 5, "latest": 6}, 4)
    assert not is_current_after({"current": True, "as_of": 4, "latest": 4}, 4)  # not yet as of our write
    assert is_current_after({"current": True, "as_of": 5, "latest": 5}, 4)
    assert not is_current_after({"current": True, "as_of": None, "latest": 0}, None)  # no report computed yet
    assert is_current_after({"current": True, "as_of": 0, "latest": 0}, None)


def test_the_writes_and_the_page_the_bench_sends() -> None:
    assert one_triple(3, 77) == (
        'INSERT DATA { GRAPH <urn:vskg-bench:validation-writes> { <urn:vskg-bench:w77-3> <urn:vskg-bench:n> "3" } }'
    )
    assert one_triple(4, 77, bad=True) == (
        "INSERT DATA { GRAPH <urn:vskg-bench:validation-writes> "
        "{ <urn:vskg-bench:bad77-4> a <https://w3id.org/vskg/ontology#ValueStream> } }"
    )
    assert stream_page(500) == "/streams/https%3A%2F%2Fexample.org%2Fsynthetic%2Fstream-s0250"
