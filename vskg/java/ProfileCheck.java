// Reports why an ontology falls outside the OWL 2 DL profile, using the OWL API's own profile checker.
// vskg compiles this against the OWL API that owlready2 ships inside HermiT.jar.
// Usage: java -cp HermiT.jar:. ProfileCheck ontology.owl   (RDF/XML; imports are not followed)
// Output: one line per violation, then "violations N"; exit 0 when in profile, 1 when not, 2 on read error.
import java.io.File;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public final class ProfileCheck {
    public static void main(String[] args) {
        OWLManager.createOWLOntologyManager();
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[0])), config);
        } catch (Exception e) {
            System.out.println("error " + e.getMessage());
            System.exit(2);
            return;
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation " + violation.toString().replace('\n', ' '));
        }
        System.out.println("violations " + report.getViolations().size());
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
