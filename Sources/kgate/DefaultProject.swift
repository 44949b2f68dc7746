import ArgumentParser
import GatewayStore

/// The project a command acts on when none is named: with a cluster (`--kubeconfig`,
/// `--context`), the current context's `namespace`, as kubectl uses it for `-n`
/// (`default` when the context names none, the pod's namespace in a pod). A workspace has
/// no current project, so there it must be named.
extension GlobalOptions {
    func project(_ given: String?) throws -> String {
        if let given { return given }
        guard usesCluster else {
            throw ValidationError(
                "<project>: Required value: name the project (only a kubeconfig context gives a default one, its namespace)")
        }
        do {
            return try KubeconfigLoader.connection(kubeconfig: kubeconfig.map(Self.absolute), context: context).namespace
        } catch {
            throw Refusal(error)
        }
    }

    /// `[<project>] <name>`: both, or the name alone in the context's namespace.
    func projectAndName(_ first: String?, _ second: String?, naming what: String) throws -> (project: String, name: String) {
        switch (first, second) {
        case let (project?, name?): return (project, name)
        case let (name?, nil): return (try project(nil), name)
        default: throw ValidationError("<name>: Required value: name the \(what)")
        }
    }
}
