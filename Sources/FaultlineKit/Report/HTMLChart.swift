/// The HTML report's timeline: failures per category per window as stacked bars in inline SVG, with
/// incidents as shaded spans. SVG `<title>` elements give hover tooltips without any script.
struct HTMLChart {
    let digest: ReportDigest

    /// The most bars drawn; longer timelines are summed into wider slots so bars stay visible.
    static let maxSlots = 400

    static let width = 1200.0
    static let height = 320.0
    static let left = 56.0
    static let right = 16.0
    static let top = 52.0
    static let bottom = 44.0
    static let laneHeight = 14.0

    /// One colour per category, from the Okabe-Ito palette so colour-blind readers can tell them apart.
    static func color(_ category: Category) -> String {
        switch category {
        case .success: "#009E73"
        case .auth: "#D55E00"
        case .rateLimit: "#E69F00"
        case .billing: "#CC79A7"
        case .upstream: "#0072B2"
        case .client: "#7F7F7F"
        }
    }

    private struct Slot {
        var start: Int64
        var counts = CategoryCounts()
    }

    func render() -> String {
        let findings = digest.findings
        guard let firstRow = findings.timeline.first, let lastRow = findings.timeline.last else {
            return "<p class=\"none\">No records, so no timeline.</p>\n"
        }
        let window = findings.windowMillis
        let start = firstRow.start
        let end = lastRow.start + window
        let windows = max(1, (end - start) / window)
        let perSlot = (windows + Int64(Self.maxSlots) - 1) / Int64(Self.maxSlots)
        let slotMillis = perSlot * window
        let slotCount = Int((end - start + slotMillis - 1) / slotMillis)
        var slots = (0..<slotCount).map { Slot(start: start + Int64($0) * slotMillis) }
        for row in findings.timeline {
            let index = min(slotCount - 1, Int((row.start - start) / slotMillis))
            slots[index].counts.add(row.counts)
        }
        let slotEnd = start + Int64(slotCount) * slotMillis
        let plotWidth = Self.width - Self.left - Self.right
        let plotBottom = Self.height - Self.bottom
        let plotHeight = plotBottom - Self.top
        func x(_ time: Int64) -> Double {
            Self.left + Double(time - start) / Double(slotEnd - start) * plotWidth
        }
        let peak = slots.map(\.counts.failed).max() ?? 0
        let scale = Self.niceCeiling(peak)

        var out = "<div class=\"legend\">"
        for category in Category.failures {
            let total = digest.summary.byCategory[category]
            out += "<span><i style=\"background:\(Self.color(category))\"></i>"
            out += "\(HTMLReport.esc(category.rawValue)) (\(total))</span>"
        }
        if !findings.incidents.isEmpty { out += "<span><i class=\"span\"></i>incident (#id)</span>" }
        out += "</div>\n"
        out += "<svg class=\"chart\" viewBox=\"0 0 \(Self.f(Self.width)) "
        out += "\(Self.f(Self.height))\" role=\"img\" aria-label=\"failures per category over time\">\n"
        out += "<title>Failures per \(HTMLReport.esc(Duration.describe(slotMillis))) by category</title>\n"

        // Grid and y axis.
        for step in 0...4 {
            let value = scale * step / 4
            let y = plotBottom - Double(value) / Double(max(scale, 1)) * plotHeight
            let stroke = step == 0 ? "#8c959f" : "#eaeef2"
            out += "<line x1=\"\(Self.f(Self.left))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(Self.width - Self.right))\" "
            out += "y2=\"\(Self.f(y))\" stroke=\"\(stroke)\"/>"
            out += "<text x=\"\(Self.f(Self.left - 6))\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\">\(value)</text>\n"
        }

        // Incidents first, so bars draw over their shading.
        out += incidentSpans(plotBottom: plotBottom, x: x)

        // Bars.
        let slotWidth = plotWidth / Double(slotCount)
        let gap = slotWidth > 4 ? 1.0 : 0.0
        for slot in slots where slot.counts.failed > 0 {
            let left = x(slot.start) + gap / 2
            let barWidth = max(slotWidth - gap, 0.8)
            var tooltip = "\(digest.stamp(slot.start)) (\(Duration.describe(slotMillis))): "
            tooltip += "\(slot.counts.failed) failed of \(slot.counts.total)"
            for category in Category.failures where slot.counts[category] > 0 {
                tooltip += "\n\(category.rawValue): \(slot.counts[category])"
            }
            out += "<g><title>\(HTMLReport.esc(tooltip))</title>"
            var base = plotBottom
            for category in Category.failures where slot.counts[category] > 0 {
                let barHeight = Double(slot.counts[category]) / Double(scale) * plotHeight
                base -= barHeight
                out += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(base))\" width=\"\(Self.f(barWidth))\" "
                out += "height=\"\(Self.f(barHeight))\" fill=\"\(Self.color(category))\"/>"
            }
            out += "</g>\n"
        }

        // X axis: five ticks, the first and last at the ends of the data, in the report's zone.
        for step in 0...4 {
            let time = start + (slotEnd - start) * Int64(step) / 4
            let tickX = x(time)
            let anchor = step == 0 ? "start" : step == 4 ? "end" : "middle"
            out += "<line x1=\"\(Self.f(tickX))\" y1=\"\(Self.f(plotBottom))\" x2=\"\(Self.f(tickX))\" "
            out += "y2=\"\(Self.f(plotBottom + 5))\" stroke=\"#8c959f\"/>"
            out += "<text x=\"\(Self.f(tickX))\" y=\"\(Self.f(plotBottom + 18))\" text-anchor=\"\(anchor)\">"
            out += "\(HTMLReport.esc(digest.shortStamp(time)))</text>\n"
        }
        out += "<text x=\"\(Self.f(Self.left + plotWidth / 2))\" y=\"\(Self.f(Self.height - 8))\" "
        out += "text-anchor=\"middle\">time (\(HTMLReport.esc(digest.zoneLabel))), "
        out += "\(HTMLReport.esc(Duration.describe(slotMillis))) per bar</text>\n"
        out += "<text x=\"14\" y=\"\(Self.f(Self.top + plotHeight / 2))\" text-anchor=\"middle\" "
        out += "transform=\"rotate(-90 14 \(Self.f(Self.top + plotHeight / 2)))\">failed requests</text>\n"
        out += "</svg>\n"
        return out
    }

    /// Shaded spans with an id label above the plot; labels take the first free lane so they do not overlap.
    private func incidentSpans(plotBottom: Double, x: (Int64) -> Double) -> String {
        var out = ""
        var laneEnds = [Double](repeating: -.infinity, count: 3)
        for incident in digest.findings.incidents {
            let color = Self.color(incident.category)
            let left = x(incident.start)
            let spanWidth = max(x(incident.end) - left, 2)
            let label = "#\(incident.id)"
            let labelWidth = Double(label.count) * 7 + 8
            let lane = laneEnds.firstIndex { $0 < left } ?? laneEnds.indices.min { laneEnds[$0] < laneEnds[$1] }!
            laneEnds[lane] = left + labelWidth
            let labelY = 6 + Double(lane) * Self.laneHeight
            let scope = digest.scopeText(incident.scope)
            var tooltip = "#\(incident.id) \(incident.category.rawValue)/\(incident.cause.rawValue), \(scope)\n"
            tooltip += "\(digest.stamp(incident.start)) to "
            tooltip += incident.ongoing ? "the end of the log (ongoing)" : digest.stamp(incident.end)
            tooltip += "\n\(incident.failures) failures"
            out += "<a href=\"#incident-\(incident.id)\"><g><title>\(HTMLReport.esc(tooltip))</title>"
            out +=
                "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(labelY + Self.laneHeight))\" width=\"\(Self.f(spanWidth))\" "
            out +=
                "height=\"\(Self.f(plotBottom - labelY - Self.laneHeight))\" fill=\"\(color)\" fill-opacity=\"0.13\" "
            out += "stroke=\"\(color)\" stroke-opacity=\"0.6\" stroke-dasharray=\"3 2\"/>"
            out += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(labelY))\" width=\"\(Self.f(labelWidth))\" "
            out += "height=\"\(Self.f(Self.laneHeight - 1))\" rx=\"3\" fill=\"\(color)\"/>"
            out += "<text class=\"label\" x=\"\(Self.f(left + 4))\" y=\"\(Self.f(labelY + 10))\" "
            out += "style=\"fill:#fff\">\(HTMLReport.esc(label))</text></g></a>\n"
        }
        return out
    }

    /// Four round steps (1, 2, 2.5 or 5 times a power of ten) reaching `value`, so the five y labels are round.
    static func niceCeiling(_ value: Int) -> Int {
        let needed = max(1, (value + 3) / 4)
        var magnitude = 1
        while magnitude * 10 <= needed { magnitude *= 10 }
        // 25 as well, so a peak of 100 gets the axis 0, 25, 50, 75, 100 rather than 0 to 200.
        let candidates = ([1, 2, 5, 10].map { $0 * magnitude } + (magnitude >= 10 ? [magnitude * 5 / 2] : [])).sorted()
        let step = candidates.first { $0 >= needed } ?? 10 * magnitude
        return 4 * step
    }

    /// A coordinate with one decimal: short, and the same on every platform.
    static func f(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10)" + (abs(tenths) % 10 == 0 ? "" : ".\(abs(tenths) % 10)")
    }
}
