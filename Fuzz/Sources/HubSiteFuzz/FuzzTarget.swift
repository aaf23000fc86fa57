import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's entry point: one input, its first byte picking the kind of content file it is
/// (see `FuzzHarness`).
/// A broken promise aborts, so libFuzzer saves the input as a crash like any other.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let problems = FuzzHarness.problems(fuzzInput: bytes)
    if !problems.isEmpty {
        for problem in problems {
            let line = Array("hubsite fuzz: \(problem)\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }
        abort()
    }
    return 0
}

/// On Linux SwiftPM links an executable target with `main` defined as `<module>_main`, which a
/// `-parse-as-library` module does not have: this one hands over to libFuzzer's own driver.
@_cdecl("HubSiteFuzz_main")
public func hubSiteFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        fuzzOneInput(data, size)
    }
}
