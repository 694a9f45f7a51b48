import GuestStack

/// Renders and reads back the libvirt domain XML for a `DomainSpec`. Pure: no I/O.
///
/// The shape follows what was measured to work on QEMU 7.2 / libvirt 9.0 (DESIGN.md): machine
/// `microvm` (no firmware, so no SeaBIOS delay), no USB controller, no balloon, and the NIC on a
/// virtio-mmio address, which microvm needs.
public enum DomainXML {
    /// The XML namespace of the project's `<metadata>` element.
    public static let metadataNamespace = "urn:summoner:instance:1"
    /// The element prefix used inside `<metadata>`.
    public static let metadataPrefix = "summoner"
    /// The namespace of the mutable state mark (`<state>suspended</state>`), kept apart from the
    /// instance element so that marking a domain never rewrites who it belongs to.
    public static let stateNamespace = "urn:summoner:state:1"
    /// The state element stored while a domain is suspended for `mark`.
    public static func stateElement(_ mark: SuspendMark) -> String { "<state>\(mark.rawValue)</state>" }

    /// The mark in a state element read back from libvirt; nil for none or an unknown one.
    public static func parseStateElement(_ xml: String) -> SuspendMark? {
        elementText(xml, localName: "state").flatMap { SuspendMark(rawValue: String($0.filter { !$0.isWhitespace })) }
    }

    /// The complete `<domain>` document.
    public static func render(_ spec: DomainSpec) -> String {
        let e = escape
        return """
            <domain type='\(spec.accelerator.domainType)'>
              <name>\(e(spec.name))</name>
              <metadata>
            \(renderMetadata(spec.metadata, indent: "    "))
              </metadata>
              <memory unit='MiB'>\(spec.memoryMiB)</memory>
              <vcpu>\(spec.vcpus)</vcpu>
              <os>
                <type arch='x86_64' machine='microvm'>hvm</type>
                <kernel>\(e(spec.kernelPath))</kernel>
                <cmdline>\(e(spec.commandLine.rendered))</cmdline>
              </os>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>destroy</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <controller type='usb' model='none'/>
                <memballoon model='none'/>
                <interface type='bridge'>
                  <source bridge='\(e(spec.bridge))'/>
                  <mac address='\(e(spec.macAddress))'/>
                  <model type='virtio'/>
                  <address type='virtio-mmio'/>
                </interface>
                <serial type='file'>
                  <source path='\(e(spec.serialLogPath))' append='on'/>
                  <target port='0'/>
                </serial>
              </devices>
            </domain>

            """
    }

    /// The `<summoner:instance>` element, as stored in `<metadata>` and returned by
    /// `virDomainGetMetadata`.
    public static func renderMetadata(_ metadata: DomainMetadata, indent: String = "") -> String {
        let p = metadataPrefix
        return """
            \(indent)<\(p):instance xmlns:\(p)='\(metadataNamespace)'>
            \(indent)  <\(p):service>\(escape(metadata.service))</\(p):service>
            \(indent)  <\(p):id>\(escape(metadata.instanceID))</\(p):id>
            \(indent)  <\(p):address>\(metadata.address.text)</\(p):address>
            \(metadata.address6.map { "\(indent)  <\(p):address6>\($0.text)</\(p):address6>\n" } ?? "")\
            \(indent)</\(p):instance>
            """
    }

    /// Reads the metadata element back. libvirt may re-serialise it with another prefix or
    /// quoting, so elements are found by local name; nil when a field is missing or malformed
    /// (`address6` may be missing: the guest has no IPv6 address).
    public static func parseMetadata(_ xml: String) -> DomainMetadata? {
        guard let service = elementText(xml, localName: "service"),
            let id = elementText(xml, localName: "id"),
            let addressText = elementText(xml, localName: "address"),
            let address = IPv4Address(addressText)
        else { return nil }
        var address6: IPv6Address? = nil
        if let text = elementText(xml, localName: "address6") {
            guard let parsed = IPv6Address(text) else { return nil }
            address6 = parsed
        }
        return DomainMetadata(service: unescape(service), instanceID: unescape(id), address: address, address6: address6)
    }

    /// The text of a whole domain document's `<metadata>` element, so that fields are never
    /// taken from elsewhere in the document (devices have `<address>` elements too); empty when
    /// there is none.
    public static func metadataBlock(_ domainXML: String) -> String {
        guard let open = domainXML.range(of: "<metadata>") else { return "" }
        let rest = domainXML[open.upperBound...]
        guard let close = rest.range(of: "</metadata>") else { return "" }
        return String(rest[..<close.lowerBound])
    }

    /// The `<name>` of a whole domain document.
    public static func domainName(_ domainXML: String) -> String? {
        guard let open = domainXML.range(of: "<name>") else { return nil }
        let rest = domainXML[open.upperBound...]
        guard let close = rest.range(of: "</name>") else { return nil }
        return unescape(String(rest[..<close.lowerBound]))
    }

    /// Escapes the five XML special characters.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String {
        text.replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">")
            .replacingAll("&apos;", with: "'").replacingAll("&quot;", with: "\"")
            .replacingAll("&amp;", with: "&")
    }

    /// Text of the first element whose local name matches, with any prefix (`<x:name>` or `<name>`).
    static func elementText(_ xml: String, localName: String) -> String? {
        var rest = Substring(xml)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { return nil }
            let tag = rest[..<close]
            let tagName = tag.split(separator: " ").first.map(String.init) ?? ""
            let local = tagName.split(separator: ":").last.map(String.init) ?? tagName
            rest = rest[rest.index(after: close)...]
            if local == localName && !tag.hasPrefix("/") && !tag.hasSuffix("/") {
                guard let end = rest.firstIndex(of: "<") else { return nil }
                return String(rest[..<end])
            }
        }
        return nil
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
