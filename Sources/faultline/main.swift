import FaultlineKit

print("faultline \(faultlineVersion)")
