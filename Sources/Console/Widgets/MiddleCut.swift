import Terminal

extension String {
    /// The text cut to `width` columns by taking out its middle: `web.demo.1…0.2.nip.io`.
    /// Hosts differ at both ends, so both stay in sight.
    func fittedInMiddle(to width: Int, ellipsis: String) -> String {
        guard terminalWidth > width else { return self }
        let room = width - ellipsis.terminalWidth
        guard room >= 2 else { return fitted(to: width, ellipsis: ellipsis) }
        let characters = Array(self)
        var head = ""
        var used = 0
        for character in characters {
            if used + character.terminalWidth > (room + 1) / 2 { break }
            used += character.terminalWidth
            head.append(character)
        }
        var tail = ""
        var tailUsed = 0
        for character in characters.reversed() {
            if used + tailUsed + character.terminalWidth > room { break }
            tailUsed += character.terminalWidth
            tail.insert(character, at: tail.startIndex)
        }
        return head + ellipsis + tail
    }

    /// A URL cut to `width` columns without losing its port and path: the middle of the
    /// host goes first (`http://web.demo.1…nip.io:30798/`); only when even that cannot fit
    /// is the end cut.
    func fittedURL(to width: Int, ellipsis: String) -> String {
        guard terminalWidth > width else { return self }
        guard let schemeEnd = range(of: "://")?.upperBound else { return fittedInMiddle(to: width, ellipsis: ellipsis) }
        let afterScheme = self[schemeEnd...]
        let hostEnd = afterScheme.firstIndex { $0 == ":" || $0 == "/" } ?? endIndex
        let head = String(self[..<hostEnd])
        let rest = String(self[hostEnd...])
        let scheme = String(self[..<schemeEnd])
        // The scheme and a few characters of the host each side of the cut must remain.
        let headRoom = width - rest.terminalWidth
        guard headRoom >= scheme.terminalWidth + 5 else { return fitted(to: width, ellipsis: ellipsis) }
        return scheme + String(head.dropFirst(scheme.count)).fittedInMiddle(to: headRoom - scheme.terminalWidth, ellipsis: ellipsis)
            + rest
    }
}
