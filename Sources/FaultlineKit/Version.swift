/// The version faultline reports in its output and `--version`.
public let faultlineVersion = "0.1.0"
