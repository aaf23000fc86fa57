import Dispatch

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores. The transform runs on Sendable values only and
    /// each result is put straight into its own place in the new array, so the output order
    /// is the input order and no result is copied.
    func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        return withUnsafeBufferPointer { input in
            let source = UnsafeSendableBuffer(buffer: input)
            return [Result](unsafeUninitializedCapacity: input.count) { output, initialized in
                guard let base = output.baseAddress else { return }
                let target = UnsafeSendableSlots(base: base)
                DispatchQueue.concurrentPerform(iterations: source.buffer.count) { index in
                    (target.base + index).initialize(to: transform(source.buffer[index]))
                }
                initialized = source.buffer.count
            }
        }
    }
}

private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
}

/// The new array's storage, each place written by one iteration only.
private struct UnsafeSendableSlots<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
