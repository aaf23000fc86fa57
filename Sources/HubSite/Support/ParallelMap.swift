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

/// Runs `background` on another thread while `foreground` runs on this one (which may itself
/// spread its work with `parallelMap`: an apply nested in another would run on one core), and
/// returns both results.
func alongside<Background: Sendable, Foreground>(_ background: @escaping @Sendable () -> Background,
                                                 _ foreground: () throws -> Foreground) rethrows -> (Background, Foreground) {
    let result = BackgroundResult<Background>()
    let done = DispatchGroup()
    DispatchQueue.global().async(group: done) { result.value = background() }
    let mine = try foreground()
    done.wait()
    // The group's wait orders the background thread's write before this read.
    guard let theirs = result.value else { preconditionFailure("the background work always sets its result") }
    return (theirs, mine)
}

/// Written once by the background thread, read after the group's wait.
private final class BackgroundResult<Value>: @unchecked Sendable {
    var value: Value?
}
