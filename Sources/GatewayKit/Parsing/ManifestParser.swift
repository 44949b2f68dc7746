/// Reads Kubernetes manifests (YAML, multi-document, or JSON) into objects.
public enum ManifestParser {
    /// Every document of `text`: the objects that parsed and validated, and a problem
    /// naming `source`, the document and the field for each that did not.
    public static func parse(_ text: String, source: String) -> (objects: [KubeObject], problems: [ManifestProblem]) {
        ([], [])
    }
}
