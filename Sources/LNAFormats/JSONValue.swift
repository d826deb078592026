import LNAFiles

/// A parsed JSON value that keeps object key order and tells integers from floats, so that headers and configs
/// round-trip exactly and report errors with byte offsets.
///
/// ```swift
/// let value = try JSONValue.parse(Array(#"{"a": [1, 2.5, "x"]}"#.utf8))
/// value["a"]?[0]?.intValue   // 1
/// ```
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in an Int.
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var intValue: Int? {
        switch self {
        case let .int(v): v
        case let .double(v): v.rounded() == v && abs(v) < 9.0e15 ? Int(v) : nil
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case let .int(v): Double(v)
        case let .double(v): v
        default: nil
        }
    }

    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case let .object(o) = self { return o }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Member of an object (nil for other values or absent keys).
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Element of an array (nil for other values or out of range).
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// A short type name for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a bool"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Compact JSON text (written by LNAFiles' `JSONDocument`, so it is spelled like every other JSON file lna
    /// writes).
    public var description: String { document.serialized() }

    /// The same value as a `JSONDocument`, for writing.
    ///
    /// ```swift
    /// JSONValue.object(JSONObject([("a", .int(1))])).document.serialized(pretty: true)
    /// ```
    public var document: JSONDocument {
        switch self {
        case .null: .null
        case let .bool(b): .bool(b)
        case let .int(i): .int(i)
        case let .double(d): .number(d)
        case let .string(s): .string(s)
        case let .array(a): .array(a.map(\.document))
        case let .object(o): .object(o.keys.map { ($0, o.values[$0]!.document) })
        }
    }
}

/// A JSON object that remembers key order.
public struct JSONObject: Sendable, Equatable {
    /// Keys in document order.
    public private(set) var keys: [String] = []
    /// Values by key.
    public private(set) var values: [String: JSONValue] = [:]

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    public var count: Int { keys.count }
}
