/// Renders findings as one self-contained HTML page.
public enum HTMLReport {
    /// The page, through the redactor.
    public static func render(_ findings: Findings, options: ReportOptions = ReportOptions()) -> String {
        var redactor = Redactor()
        return redactor.clean("<pre>" + TextReport.render(findings, options: options) + "</pre>")
    }
}
