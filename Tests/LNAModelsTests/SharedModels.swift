import Foundation
import LNAModels
import LNATestSupport

/// Loads each real model once for the whole test run (tests run in parallel; the weights are large).
final class SharedModels: @unchecked Sendable {
    static let shared = SharedModels()
    private var models: [String: Model] = [:]
    private let lock = NSLock()

    /// The model, or nil (skip) when it is missing outside CI.
    func model(_ name: String) throws -> Model? {
        lock.lock()
        defer { lock.unlock() }
        if let m = models[name] { return m }
        guard let url = try TestResources.model(name) else { return nil }
        let m = try Model.load(url: url)
        models[name] = m
        return m
    }
}
