extension DNSMessage {
    /// The EDNS fields of the OPT record in the additional section, or nil without one.
    ///
    /// Setting a value replaces the OPT record, or appends one; setting nil removes it.
    public var edns: DNSEDNS? {
        get { additionals.lazy.compactMap(DNSEDNS.init(record:)).first }
        set {
            let index = additionals.firstIndex { $0.type == .opt }
            switch (index, newValue) {
            case (let index?, let edns?): additionals[index] = edns.record
            case (nil, let edns?): additionals.append(edns.record)
            case (let index?, nil): additionals.remove(at: index)
            case (nil, nil): break
            }
        }
    }

    /// The full response code: the header's four bits plus the OPT record's eight high bits.
    ///
    /// Setting a code above 15 needs EDNS: if the message has no OPT record, one with default
    /// `DNSEDNS` values is added, as RFC 6891 requires for codes such as BADVERS.
    public var responseCode: DNSResponseCode {
        get {
            let high = UInt16(edns?.extendedRCodeHigh ?? 0)
            return DNSResponseCode(rawValue: high << 4 | UInt16(header.responseCodeLow & 0x0F))
        }
        set {
            header.responseCodeLow = UInt8(newValue.rawValue & 0x0F)
            let high = UInt8(truncatingIfNeeded: newValue.rawValue >> 4)
            if var edns {
                edns.extendedRCodeHigh = high
                self.edns = edns
            } else if high != 0 {
                edns = DNSEDNS(extendedRCodeHigh: high)
            }
        }
    }
}
