/// Renders instances as an aligned text table for `summonerctl list`.
public enum InstanceTableFormatter {
    /// The IPv6 address, when guests have one, follows the IPv4 address in its column.
    public static func render(_ instances: [InstanceSnapshot]) -> String {
        guard !instances.isEmpty else { return "no live instances\n" }
        let header = ["SERVICE", "INSTANCE", "STATE", "MODE", "ADDRESS", "UPTIME", "IDLE", "LOOKUPS"]
        let rows = instances.map { i in
            [
                i.service, i.id, i.state.rawValue, i.mode ?? "-", i.address + (i.address6.map { " " + $0 } ?? ""),
                duration(i.uptimeSeconds),
                duration(i.idleSeconds), String(i.lookups),
            ]
        }
        return TextTable.render(header: header, rows: rows)
    }

    /// `850ms`, `12.3s`, `4m05s`, `2h03m`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int(seconds * 1000))ms" }
        if seconds < 60 { return "\(Int(seconds * 10) / 10).\(Int(seconds * 10) % 10)s" }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60)m\(twoDigits(whole % 60))s" }
        return "\(whole / 3600)h\(twoDigits(whole % 3600 / 60))m"
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension String {
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

/// Left-aligned columns separated by two spaces, the last column unpadded.
public enum TextTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(to: widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
