#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The tasks of a run in merge order, listed by one thread while others take them: the pieces of a streamed input
/// are known only as it is decoded.
final class TaskQueue<Task>: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var added = pthread_cond_t()
    private var tasks: [Task] = []
    private var taken = 0
    private var closed = false

    init() {
        pthread_mutex_init(&lock, nil)
        pthread_cond_init(&added, nil)
    }

    deinit {
        pthread_mutex_destroy(&lock)
        pthread_cond_destroy(&added)
    }

    /// Lists the next task.
    func append(_ task: Task) {
        pthread_mutex_lock(&lock)
        tasks.append(task)
        pthread_cond_signal(&added)
        pthread_mutex_unlock(&lock)
    }

    /// Says no task follows, so waiting workers finish.
    func close() {
        pthread_mutex_lock(&lock)
        closed = true
        pthread_cond_broadcast(&added)
        pthread_mutex_unlock(&lock)
    }

    /// The next task not yet taken, with its place in the order; waits for one; nil once the list is closed and
    /// every task taken.
    func take() -> (Int, Task)? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        while taken == tasks.count && !closed { pthread_cond_wait(&added, &lock) }
        guard taken < tasks.count else { return nil }
        taken += 1
        return (taken - 1, tasks[taken - 1])
    }
}
