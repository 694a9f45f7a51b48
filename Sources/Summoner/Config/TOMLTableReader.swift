import TOMLKit

/// Reads typed values from one TOML table, turning every problem into a located `ConfigError`
/// and refusing keys nobody read (a typo must not be silently ignored).
struct TOMLTableReader {
    let table: TOMLTable
    let path: String
    let file: String
    let keyLines: TOMLKeyLines
    private var readKeys: Set<String> = []

    init(table: TOMLTable, path: String, file: String, keyLines: TOMLKeyLines) {
        self.table = table
        self.path = path
        self.file = file
        self.keyLines = keyLines
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String?, _ message: String) -> ConfigError {
        let full = key.map(keyPath) ?? path
        return ConfigError(file: file, line: keyLines.line(of: full), message: full.isEmpty ? message : "\(full): \(message)")
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        readKeys.insert(key)
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw error(key, "expected a string, found \(value.type)") }
        return string
    }

    /// A string, or an array of strings (at least one); one string reads as an array of one.
    mutating func strings(_ key: String) throws(ConfigError) -> [String]? {
        readKeys.insert(key)
        guard let value = table[key] else { return nil }
        if let string = value.string { return [string] }
        guard let array = value.array else {
            throw error(key, "expected a string or an array of strings, found \(value.type)")
        }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else {
                throw error(key, "expected an array of strings, found an element of type \(element.type)")
            }
            strings.append(string)
        }
        guard !strings.isEmpty else { throw error(key, "must not be empty") }
        return strings
    }

    mutating func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        try string(key) ?? fallback
    }

    mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw error(nil, "missing required key \"\(key)\"") }
        return value
    }

    mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        readKeys.insert(key)
        guard let value = table[key] else { return fallback }
        guard let int = value.int else { throw error(key, "expected an integer, found \(value.type)") }
        guard range.contains(int) else {
            throw error(key, "\(int) is out of range; use \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    /// A duration in seconds, written as an integer or a decimal (`0.5`).
    mutating func seconds(_ key: String, default fallback: Duration, minimum: Duration) throws(ConfigError) -> Duration {
        readKeys.insert(key)
        guard let value = table[key] else { return fallback }
        let duration: Duration
        if let int = value.int {
            duration = .seconds(int)
        } else if let double = value.double, double.isFinite, double < 1e9 {
            duration = .milliseconds(Int64((double * 1000).rounded()))
        } else {
            throw error(key, "expected a number of seconds, found \(value.type)")
        }
        guard duration >= minimum else { throw error(key, "must be at least \(minimum)") }
        return duration
    }

    mutating func table(_ key: String) throws(ConfigError) -> TOMLTableReader? {
        readKeys.insert(key)
        guard let value = table[key] else { return nil }
        guard let inner = value.table else { throw error(key, "expected a table, found \(value.type)") }
        return TOMLTableReader(table: inner, path: keyPath(key), file: file, keyLines: keyLines)
    }

    /// Throws for the first key that was never read.
    func rejectUnknownKeys() throws(ConfigError) {
        for key in table.keys.sorted() where !readKeys.contains(key) {
            throw error(key, "unknown key")
        }
    }
}
