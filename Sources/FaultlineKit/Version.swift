public let faultlineVersion = "0.1.0"
