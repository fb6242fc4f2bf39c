/// The report forms (`--report`).
public enum ReportForm: String, Sendable, CaseIterable {
    /// For a terminal.
    case text
    /// For a support ticket.
    case markdown
    /// `faultline.report/v1`.
    case json
    /// One self-contained page with an SVG timeline.
    case html
}

/// Renders findings in any form; every form passes the redactor.
public enum ReportRenderer {
    /// The report's text.
    public static func render(_ findings: Findings, form: ReportForm, options: ReportOptions) -> String {
        switch form {
        case .text: TextReport.render(findings, options: options)
        case .json: JSONReport.render(findings)
        case .markdown: MarkdownReport.render(findings, options: options)
        case .html: HTMLReport.render(findings, options: options)
        }
    }
}
