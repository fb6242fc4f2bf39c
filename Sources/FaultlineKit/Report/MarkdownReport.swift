/// Renders findings as Markdown for a support ticket.
public enum MarkdownReport {
    /// The report's text, through the redactor.
    public static func render(_ findings: Findings, options: ReportOptions = ReportOptions()) -> String {
        var redactor = Redactor()
        return redactor.clean(TextReport.render(findings, options: options))
    }
}
