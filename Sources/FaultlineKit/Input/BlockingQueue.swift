#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bounded first-in first-out queue between two threads, blocking on full and empty.
final class BlockingQueue<Element>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var notEmpty = pthread_cond_t()
    private var notFull = pthread_cond_t()
    private var items: [Element?]
    private var head = 0
    private var count = 0

    init(capacity: Int) {
        items = Array(repeating: nil, count: max(capacity, 1))
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&notEmpty, nil)
        pthread_cond_init(&notFull, nil)
    }

    deinit {
        pthread_mutex_destroy(&mutex)
        pthread_cond_destroy(&notEmpty)
        pthread_cond_destroy(&notFull)
    }

    func push(_ element: Element) {
        pthread_mutex_lock(&mutex)
        while count == items.count { pthread_cond_wait(&notFull, &mutex) }
        items[(head + count) % items.count] = element
        count += 1
        pthread_cond_signal(&notEmpty)
        pthread_mutex_unlock(&mutex)
    }

    func pop() -> Element {
        pthread_mutex_lock(&mutex)
        while count == 0 { pthread_cond_wait(&notEmpty, &mutex) }
        let element = items[head]!
        items[head] = nil
        head = (head + 1) % items.count
        count -= 1
        pthread_cond_signal(&notFull)
        pthread_mutex_unlock(&mutex)
        return element
    }
}

/// Runs a closure on a new thread with a large stack; `join` waits for it.
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let unmanaged = Unmanaged.passRetained(self)
        let status = pthread_create(
            &thread, &attributes,
            { context in
                let worker = Unmanaged<WorkerThread>.fromOpaque(context!).takeRetainedValue()
                worker.body()
                return nil
            }, unmanaged.toOpaque())
        pthread_attr_destroy(&attributes)
        if status != 0 {
            unmanaged.release()
            body()
        }
    }

    func join() {
        pthread_join(thread, nil)
    }
}
