#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain mutex, for the few places where threads share a value.
final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// A counter shared by threads.
final class Counter: @unchecked Sendable {
    private let mutex = Mutex()
    private var value = 0

    /// Adds one and returns the new count.
    func increment() -> Int {
        mutex.withLock {
            value += 1
            return value
        }
    }
}
