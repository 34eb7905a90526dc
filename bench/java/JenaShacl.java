// The Jena SHACL side of bench/validation_scale.py: validates data files against shapes files in one JVM.
// bench/validation_scale.py compiles this against Debian's Jena 4.5 (libapache-jena-java) and runs it.
// Usage: java -cp CLASSPATH JenaShacl RESULTS.tsv --shapes S.ttl... --data D.ttl...
// The data files are read into one graph (the data, plus the ontology and schemes that vskg's data view holds),
// the shapes files into another. It validates twice in the same JVM: the first run is cold (class loading and
// JIT inside it), the second is what a long-running service would see. Standard output: one "key value" line per
// figure (parse_ms, shapes_ms, cold_ms, warm_ms, triples, results, and one count per severity). RESULTS.tsv: one
// line per result of the cold run: severity, focus node, source shape, path, value, constraint component, message
// (tabs, newlines and backslashes escaped as \t, \n and \\).
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sparql.path.Path;
import org.apache.jena.sparql.path.PathWriter;

public final class JenaShacl {
    private JenaShacl() {}

    public static void main(String[] args) throws IOException {
        String output = args[0];
        List<String> shapesFiles = new ArrayList<>();
        List<String> dataFiles = new ArrayList<>();
        List<String> current = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--shapes")) {
                current = shapesFiles;
            } else if (args[i].equals("--data")) {
                current = dataFiles;
            } else if (current == null) {
                throw new IllegalArgumentException("expected --shapes or --data before " + args[i]);
            } else {
                current.add(args[i]);
            }
        }

        long started = System.nanoTime();
        Graph data = GraphFactory.createDefaultGraph();
        for (String file : dataFiles) {
            RDFParser.source(file).parse(data);
        }
        long parsed = System.nanoTime();
        Graph shapesGraph = GraphFactory.createDefaultGraph();
        for (String file : shapesFiles) {
            RDFParser.source(file).parse(shapesGraph);
        }
        Shapes shapes = Shapes.parse(shapesGraph);
        long shapesReady = System.nanoTime();

        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        long cold = System.nanoTime();
        ValidationReport again = ShaclValidator.get().validate(shapes, data);
        long warm = System.nanoTime();

        Map<String, Integer> bySeverity = new TreeMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(Paths.get(output), StandardCharsets.UTF_8)) {
            for (ReportEntry entry : report.getEntries()) {
                String severity = localName(entry.severity().level());
                bySeverity.merge(severity, 1, Integer::sum);
                out.write(String.join("\t",
                    severity,
                    escape(term(entry.focusNode())),
                    escape(term(entry.source())),
                    escape(path(entry.resultPath())),
                    escape(term(entry.value())),
                    escape(term(entry.sourceConstraintComponent())),
                    escape(entry.message() == null ? "" : entry.message())));
                out.write("\n");
            }
        }
        System.out.println("triples " + data.size());
        System.out.println("parse_ms " + millis(started, parsed));
        System.out.println("shapes_ms " + millis(parsed, shapesReady));
        System.out.println("cold_ms " + millis(shapesReady, cold));
        System.out.println("warm_ms " + millis(cold, warm));
        System.out.println("results " + report.getEntries().size());
        System.out.println("warm_results " + again.getEntries().size());
        for (Map.Entry<String, Integer> count : bySeverity.entrySet()) {
            System.out.println("severity_" + count.getKey() + " " + count.getValue());
        }
    }

    private static String millis(long from, long to) {
        return String.format("%.1f", (to - from) / 1e6);
    }

    private static String localName(Node node) {
        String text = node.isURI() ? node.getURI() : node.toString();
        return text.substring(text.lastIndexOf('#') + 1);
    }

    /** A node as vskg's Finding writes it: the IRI, "_:" and the label, or a literal's lexical form. */
    private static String term(Node node) {
        if (node == null) {
            return "";
        }
        if (node.isURI()) {
            return node.getURI();
        }
        if (node.isBlank()) {
            return "_:" + node.getBlankNodeLabel();
        }
        if (node.isLiteral()) {
            return node.getLiteralLexicalForm();
        }
        return node.toString();
    }

    /** A property path in SPARQL syntax with full IRIs (no prefixes), or "" when the result has none. */
    private static String path(Path path) {
        return path == null ? "" : PathWriter.asString(path);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
