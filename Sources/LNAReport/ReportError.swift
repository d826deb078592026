import Foundation

/// Errors thrown by LNAReport. Each message is one line naming what was wrong and what to do.
///
/// ```swift
/// do { try figure.write(to: dir, name: "ppl") } catch let e as ReportError { print(e) }
/// ```
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// A raster has a size or buffer length that cannot be encoded.
    case invalidRaster(String)
    /// zlib failed (status code and the call that failed).
    case zlib(call: String, status: Int32)
    /// A chart description is inconsistent (e.g. a row has the wrong number of values).
    case invalidChart(String)

    public var description: String {
        switch self {
        case .invalidRaster(let why): return "invalid raster: \(why)"
        case .zlib(let call, let status): return "zlib \(call) failed with status \(status)"
        case .invalidChart(let why): return "invalid chart: \(why)"
        }
    }
}
