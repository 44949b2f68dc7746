import GatewayKit
import Terminal

/// kubectl's plain table: upper-case headers, columns padded to their widest cell (by
/// display width, so CJK names line up), three spaces apart.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) { self.headers = headers }
    init(headers: [String]) { self.headers = headers }

    mutating func add(_ cells: String...) { rows.append(cells) }

    var text: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].terminalWidth : 0 }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let last = column == row.count - 1
                line += last ? cell : cell + String(repeating: " ", count: widths[column] - cell.terminalWidth + 3)
            }
            return line
        }.joined(separator: "\n")
    }
}

/// `key: value` lines with the values aligned, as `kubectl describe` prints them.
struct Description {
    private var lines: [(String, [String])] = []

    mutating func add(_ label: String, _ value: String) { lines.append((label, [value])) }
    mutating func add(_ label: String, lines values: [String]) { lines.append((label, values.isEmpty ? ["-"] : values)) }

    var text: String {
        let width = (lines.map { $0.0.count }.max() ?? 0) + 2
        return lines.flatMap { label, values in
            values.enumerated().map { index, value in
                let head = index == 0 ? label + ":" : ""
                return head + String(repeating: " ", count: width - head.count) + value
            }
        }.joined(separator: "\n")
    }
}
