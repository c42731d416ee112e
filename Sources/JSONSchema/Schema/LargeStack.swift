#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work that recurses deeply (validating an instance hundreds of levels deep) on a
/// thread of its own with a large stack, and waits for it.
///
/// Validation recurses with the instance. Threads of the Swift concurrency pool have small
/// stacks, so when a validation goes deeper than ``ValidationContext/shallowDepthLimit`` it is
/// abandoned and run again here, where ``ValidationContext/maxDepth`` applies instead. Deep
/// instances are rare; ordinary ones never leave the caller's thread.
enum LargeStack {
    /// Bytes of stack for the helper thread (reserved address space; pages are used on demand).
    static let stackSize = 256 << 20

    private final class Task: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// The result of `body`, computed on a thread with a large stack (or on the current
    /// thread if no thread can be started).
    static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body -> T in
            var result: T?
            withoutActuallyEscaping({ result = body() }) { work in
                let task = Task(work)
                var attributes = pthread_attr_t()
                pthread_attr_init(&attributes)
                defer { pthread_attr_destroy(&attributes) }
                pthread_attr_setstacksize(&attributes, stackSize)
                let context = Unmanaged.passRetained(task).toOpaque()
                #if canImport(Darwin)
                var thread: pthread_t?
                #else
                var thread = pthread_t()
                #endif
                let started = pthread_create(&thread, &attributes, { context in
                    let task = Unmanaged<Task>.fromOpaque(context!).takeRetainedValue()
                    task.body()
                    return nil
                }, context)
                if started == 0 {
                    #if canImport(Darwin)
                    pthread_join(thread!, nil)
                    #else
                    pthread_join(thread, nil)
                    #endif
                } else {
                    Unmanaged<Task>.fromOpaque(context).release()
                    work()
                }
            }
            return result!
        }
    }
}
