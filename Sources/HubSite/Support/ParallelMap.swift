import Dispatch

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores. The transform runs on Sendable values only and
    /// results land in their own slots, so the output order is the input order.
    func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        let slots = ResultSlots<Result>(count: count)
        self.withUnsafeBufferPointer { input in
            let source = UnsafeSendableBuffer(buffer: input)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.store(transform(source.buffer[index]), at: index)
            }
        }
        return slots.values()
    }
}

/// Write-once slots filled from several threads, each slot by one iteration only.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Value?>

    init(count: Int) {
        base = UnsafeMutablePointer<Value?>.allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
        self.count = count
    }

    private let count: Int

    func store(_ value: Value, at index: Int) {
        base[index] = value
    }

    func values() -> [Value] {
        (0..<count).compactMap { base[$0] }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
}
