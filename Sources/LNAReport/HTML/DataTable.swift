/// A table for the HTML report: text and number cells, numbers formatted and right-aligned.
///
/// ```swift
/// var t = DataTable(columns: ["language", "PPL", "Δ"])
/// t.addRow([.text("en"), .number(12.345, .fixed(2)), .number(0.8, .signed(2))])
/// let m = DataTable.matrix(rowHeader: "deactivated", rowLabels: ["none", "en"], columnLabels: ["en", "fr"],
///                          values: [[10.1, 12.0], [15.2, nil]], format: .fixed(2))
/// ```
public struct DataTable: Sendable, Hashable {
    /// One cell: `.text("en")`, `.number(1.5, .fixed(2))` or `.missing`.
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Double, NumberFormat)
        case missing

        /// The cell as displayed.
        public var display: String {
            switch self {
            case .text(let s): return s
            case .number(let v, let f): return f.string(v)
            case .missing: return "–"
            }
        }
    }

    public var columns: [String]
    public var rows: [[Cell]]
    public var caption: String?

    /// `DataTable(columns: ["language", "PPL"], caption: "Perplexity")`.
    public init(columns: [String], rows: [[Cell]] = [], caption: String? = nil) {
        self.columns = columns; self.rows = rows; self.caption = caption
    }

    /// Appends a row: `table.addRow([.text("en"), .number(12.3, .fixed(1))])`.
    public mutating func addRow(_ cells: [Cell]) { rows.append(cells) }

    /// A labelled matrix (e.g. the perplexity grid); nil or NaN values become "–".
    public static func matrix(rowHeader: String, rowLabels: [String], columnLabels: [String], values: [[Double?]],
                              format: NumberFormat, caption: String? = nil) -> DataTable {
        var table = DataTable(columns: [rowHeader] + columnLabels, caption: caption)
        for (i, label) in rowLabels.enumerated() {
            let row = i < values.count ? values[i] : []
            table.addRow([.text(label)] + columnLabels.indices.map { j in
                guard j < row.count, let v = row[j], !v.isNaN else { return .missing }
                return .number(v, format)
            })
        }
        return table
    }
}
