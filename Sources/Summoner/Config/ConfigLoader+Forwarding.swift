import DNSFrontend

extension ConfigLoader {
    /// `[dns.forward]`: optional; without it every query outside the zone is REFUSED.
    ///
    /// ```
    /// [dns.forward]
    /// upstream = "127.0.0.1:53"          # IPV4:PORT or [IPV6]:PORT, relayed over UDP
    /// allow = ["127.0.0.0/8", "::1"]     # client networks that may use it
    /// timeout = 2                        # seconds before SERVFAIL
    /// ```
    static func parseForwarding(_ dns: inout TOMLTableReader?) throws(ConfigError) -> DNSForwarding? {
        guard var forward = try dns?.table("forward") else { return nil }
        let upstreamText = try forward.requiredString("upstream")
        let upstream = try parseListen(upstreamText, reader: forward, key: "upstream")
        guard let allowTexts = try forward.strings("allow") else {
            throw forward.error(nil, "missing required key \"allow\" (the client networks that may use forwarding)")
        }
        var allowed: [DNSClientNetwork] = []
        for text in allowTexts {
            guard let network = DNSClientNetwork(text) else {
                throw forward.error("allow", "\"\(text)\" is not an IP address or ADDRESS/PREFIX-LENGTH")
            }
            allowed.append(network)
        }
        let timeout = try forward.seconds("timeout", default: .seconds(2), minimum: .milliseconds(10))
        try forward.rejectUnknownKeys()
        return DNSForwarding(
            upstream: DNSListenAddress(host: upstream.host, port: upstream.port), allowed: allowed, timeout: timeout)
    }
}
