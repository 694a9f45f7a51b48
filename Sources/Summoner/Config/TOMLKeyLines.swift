/// Finds the line of each key in TOML text, because TOMLKit reports positions only for syntax
/// errors. Handles what a config file uses: `[table.headers]` and `key = value` lines.
struct TOMLKeyLines {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var table = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            let number = index + 1
            if line.hasPrefix("[") && !line.hasPrefix("[[") {
                let name = line.dropFirst().prefix { $0 != "]" }.trimmingSpaces()
                table = name.split(separator: ".").map { $0.trimmingSpaces().unquoted() }.joined(separator: ".")
                if lines[table] == nil { lines[table] = number }
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = line[..<equals].trimmingSpaces().unquoted()
                let path = table.isEmpty ? key : "\(table).\(key)"
                if lines[path] == nil { lines[path] = number }
            }
        }
    }

    /// The line of `path` (`services.hello.address`), else of its nearest enclosing table.
    func line(of path: String) -> Int? {
        var parts = path.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            if let line = lines[parts.joined(separator: ".")] { return line }
            parts.removeLast()
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let chars = Array(self)
        var start = 0
        var end = chars.count
        while start < end && (chars[start] == " " || chars[start] == "\t" || chars[start] == "\r") { start += 1 }
        while end > start && (chars[end - 1] == " " || chars[end - 1] == "\t" || chars[end - 1] == "\r") { end -= 1 }
        return String(chars[start..<end])
    }

    func unquoted() -> String {
        let s = String(self)
        if s.count >= 2, (s.hasPrefix("\"") && s.hasSuffix("\"")) || (s.hasPrefix("'") && s.hasSuffix("'")) {
            return String(s.dropFirst().dropLast())
        }
        return s
    }
}
