extension String {
    /// Orders `hello-2` before `hello-10`: (prefix, number); ids without a number sort last.
    var serialOrder: SerialOrder {
        guard let dash = lastIndex(of: "-"), let number = Int(self[index(after: dash)...]) else {
            return SerialOrder(prefix: self, number: .max)
        }
        return SerialOrder(prefix: String(self[..<dash]), number: number)
    }
}

struct SerialOrder: Comparable {
    var prefix: String
    var number: Int
    static func < (a: SerialOrder, b: SerialOrder) -> Bool { (a.prefix, a.number) < (b.prefix, b.number) }
}
